// The prefetch hint is a header-only inline function (include/cprefetch.h); this file gives the target a source.
#include "cprefetch.h"
