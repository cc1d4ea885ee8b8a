import RegistryDomain

/// Synthetic names and addresses: plausible, and no real person's.
enum Names {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
    static let roads = ["南京路", "解放北路", "卫津路", "红旗路", "黄河道", "中山路", "新华路", "成都道", "重庆道", "大沽南路"]

    static func name(_ rng: inout SplitMix64) -> String {
        String(surnames[rng.next(surnames.count)]) + String(given[rng.next(given.count)]) + (rng.chance(70) ? String(given[rng.next(given.count)]) : "")
    }

    static func address(_ rng: inout SplitMix64, _ division: DivisionCode) -> String {
        "天津市\(division.county?.value ?? division.value)区\(roads[rng.next(roads.count)])\(1 + rng.next(300))号\(1 + rng.next(30))-\(101 + rng.next(600))"
    }
}
