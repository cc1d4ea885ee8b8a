#!/usr/bin/env python3
"""JSON Lines of new persons for a store of the synthetic city (scripts/bench: a view after a small import).

Usage: new-persons.py LINES [SEED]. Each person is registered in 120101 (a valid citizen ID, check character and
all), enrolled in resident medical insurance, and a third of them marked unwilling: every line passes the rules.
"""
import random
import sys
import uuid

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def citizen_id(n):
    leading = "120101" + "19%02d" % (50 + n % 49) + "%02d" % (1 + n % 12) + "%02d" % (1 + n % 28) + "%03d" % (n % 1000)
    return leading + CHECK[sum(int(d) * w for d, w in zip(leading, WEIGHTS)) % 11]


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    base = rng.randint(0, 10**6)
    out = []
    k = 0
    while len(out) < count:
        k += 1
        person = citizen_id(base * 7 + k)
        day = "2026-%02d-%02d" % (1 + rng.randint(0, 9), 1 + rng.randint(0, 27))

        def line(kind, version, data):
            out.append('{"actor":"operator:bench","data":%s,"effective":"%s","id":"%s","stream":"person-%s","type":"%s","version":%d}'
                       % (data, day, str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), person, kind, version))

        line("PersonRegistered", 1, '{"citizenID":"%s","employmentStatus":"unemployed","hukouAddress":"天津市","hukouDivision":"120101",'
             '"name":"张三","residenceAddress":"天津市某街道","residenceDivision":"12010100100%d","source":"publicSecurity"}'
             % (person, 1 + rng.randint(0, 2)))
        line("PersonEnrolled", 2, '{"insuranceType":"residentMedical","route":"resident"}')
        if rng.randint(0, 2) == 0:
            line("StatusMarked", 1, '{"mark":"unwilling","reasonCode":"U01"}')
    print("\n".join(out[:count]))


if __name__ == "__main__":
    main()
