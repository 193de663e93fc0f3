import Foundation

/// Tells apart the legacy encodings a text file without a byte-order mark may use: UTF-16 without
/// a mark, GB18030 (GBK, GB2312), Big5, Shift-JIS, and Windows-1252/Latin-1.
///
/// Each CJK candidate that decodes without error is scored by how much of its text is common
/// characters (and kana, for Japanese); a wrong guess decodes into rare characters, symbols and
/// kana-from-nowhere. Latin-1 is chosen for mostly-ASCII bytes whose high bytes stand alone, as
/// accented letters do, where CJK characters always come as byte pairs.
enum LegacyEncoding {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let big5 = String.Encoding(rawValue: 0x8000_0A03)

    /// "utf-16le" or "utf-16be" when the NUL bytes fall on one side of each pair, as ASCII-heavy
    /// UTF-16 text without a mark has them.
    static func utf16(_ bytes: [UInt8]) -> String? {
        let sample = bytes.prefix(8192)
        guard sample.count >= 8 else { return nil }
        var even = 0
        var odd = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { even += 1 } else { odd += 1 }
        }
        let pairs = sample.count / 2
        if odd * 10 > pairs * 3 && even * 20 < pairs { return "utf-16le" }
        if even * 10 > pairs * 3 && odd * 20 < pairs { return "utf-16be" }
        return nil
    }

    /// Decodes UTF-16 without a mark; nil when the units are not valid UTF-16.
    static func decodeUTF16(_ bytes: [UInt8], littleEndian: Bool) -> String? {
        let units = stride(from: 0, to: bytes.count - 1, by: 2).map { i in
            littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        }
        var text = ""
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.unicodeScalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        return text
    }

    /// Whether the high bytes come alone between ASCII bytes, as accented Latin letters do.
    static func looksLatin(_ bytes: [UInt8]) -> Bool {
        var runs = 0
        var single = 0
        var high = 0
        var run = 0
        for byte in bytes.prefix(65_536) + [0] {
            if byte >= 0x80 {
                run += 1
                high += 1
                continue
            }
            if run > 0 {
                runs += 1
                if run == 1 { single += 1 }
            }
            run = 0
        }
        return runs > 0 && single * 2 > runs && high * 4 < bytes.prefix(65_536).count
    }

    /// Decodes Latin text as Windows-1252 (which has the curly quotes Latin-1 lacks), else Latin-1.
    static func decodeLatin(_ data: Data) -> (String, String) {
        if let text = String(data: data, encoding: .windowsCP1252) { return (text, "windows-1252") }
        return (String(data: data, encoding: .isoLatin1) ?? String(decoding: data, as: UTF8.self), "latin-1")
    }

    /// The CJK encoding whose decoding reads most like real text, if any decodes.
    static func bestCJK(_ data: Data) -> (text: String, encoding: String)? {
        let candidates: [(String.Encoding, String)] = [(gb18030, "gb18030"), (big5, "big5"), (.shiftJIS, "shift-jis")]
        var best: (text: String, encoding: String, score: Double)?
        for (encoding, name) in candidates {
            guard let text = String(data: data, encoding: encoding), !text.isEmpty, !text.contains("\u{FFFD}"),
                // Some converters stop early instead of failing: the text must cover the bytes.
                text.data(using: encoding).map({ $0.count * 10 >= data.count * 9 }) ?? false
            else { continue }
            let score = self.score(text)
            if score > (best?.score ?? 0) { best = (text, name, score) }
        }
        return best.map { ($0.text, $0.encoding) }
    }

    /// The share of non-ASCII characters that are common Chinese characters, kana or CJK punctuation.
    static func score(_ text: String) -> Double {
        var total = 0
        var good = 0
        for scalar in text.unicodeScalars.prefix(200_000) where scalar.value >= 0x80 {
            total += 1
            let v = scalar.value
            if (0x3040...0x30FF).contains(v) {
                good += 1
            }  // kana
            else if (0x3000...0x303F).contains(v) || (0xFF01...0xFF5E).contains(v) {
                good += 1
            }  // punctuation
            else if common.contains(Character(scalar)) {
                good += 1
            }
        }
        return total == 0 ? 0 : Double(good) / Double(total)
    }

    /// About 700 of the most frequent characters, simplified and traditional forms both.
    static let common: Set<Character> = Set(
        "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈读啊超免压银买皇养怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括鱼杂误湾吉减编楚肯测败屋跑梦散温困渐封救贵缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢遇康虑幸均销钟诗藏赶剧票损忽巨旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输招婚脱补谓督油疗旅材灭逐莫笔亡鲜词圣择寻厂睡博烟授岸唐卖载健堂旁宫喝借君禁阴园谋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷牛宁纸诸训私庄祖丝翻暴森塔默握戏隐熟骨访弱歌店鬼软典欲伙遭盘爸扩盖弄雄稳忘刺拥徒杨齐赛趣曲刀床迎冰虚玩析窗醒妻透购替努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹竞街促延震弃甲伟麻川申缓潜闪售灯针哲络抵抱鼓植纯夏忍页杰筑折贝尊秀混臣雅振染盛怒舞圆狂措姓残秋培迷诚宽宇猛摆梅伸摩盟末乃悲拍丁硬麦操阻订彩抽赞纷沿喊违妹浪汇币丰蓝献桌瓦援译夺汽烧距裁偏符勇触课敬哭懂墙召罚厅拜巧侧冒债融惯享童犹乘挂奖厚纵障涉彻刊丈爆役描洗患妙镜唱烦签仙彼症仿倾牌陷鸟菜闭奋庆泪茶疾缘播朗奶季丹狗尾仪偷奔珠虫孔宜桥淡翼恨繁寒伴叹旦愈潮粮缩聚径恰挑袋灰捕珍幕映裂隔启尖忠累炎暂估泛荒横拒忆孤鼻闹羊零穷舍码婆魂灾洪腿胆俗胸晓劲贫仁偶邦圈摸仰润堆碰稍迟废净署壁奉旋冬矿抬蛋晨伏吹鸡倍杯租骑乏隆诊奴污渡旗甘耐凭扎抢粗肩梁幻皆碎叔岩荡爬荷悉返井壮薄悄扫敏详允幅撒剩颗赏液番箱贴漫酸郎腰舒眉忧浮辛恋餐吓挺励辞键峰尺昨黎辈贯滑券崇扰绕趋慈阅汗枝拖墨插箭粉泥氏拔骗凤慧媒佩愤扑龄驱惜豪兼跃尸肃驶届欣惠册储飘桑闲惨洁踪宾频仇磨递撞拟滚奏巡颜剂绩贡疯坡截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔腐幼践籍牧凉佳浓芳稿竹腹跌逻垂遵脉貌柏狱猜怜惑陶帐饰贷昌叙躺钢沟寄扶铺寿惧询汤盗肥尝辉奈扣廷董迁凝慰厌脏腾幽怨鞋丢埋泉涌辖躲紫艰吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭悟聪雾锋梯猫祥阔誉筹牵鸣沈阁屈旨袖猎臂蛇贺柱抛鼠牢迈欺吨琴衰瓶恼燕仲诱狼池疼仗冠粒遥玄尘抚浅纠钻晶峡苍喷耗凌敲赔涂扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂侯抖夹肝擦猪炼恒慎搬纽纹渔磁铜齿跨押怖漠疲遣祭醉拳斜档稀捷肤疫豆削岗晃吞宏肚履涨耀扭坛拨绘伐堪仆郭墓雇廉契拼覆刷劫嫌瓜歇闷乳串娃唤赢莲桃妥瘦搭赴岳嘉俊址耕锐缝悔邀斥宅添挖氧浩羽斤酷祸乙妨贪挣悬唇仓轨枚盐览帅庙屏寺胖愚滴疏姿颤丑劣寸扔盯辱匹俱辨饿蜂腔郁谨糟苗肠忌溜鹰笼丘桂滋聊挡纲肌壳痕碗穴膀卓贤卧膜毅锦欠函茫昂皱夸胃舌剥傲拾窝睁携陵棉晴铃填渴吻扮逆脆喘罩炉柴愉绳胎蓄眠竭喂傻慕扇柜悦拦诞饱乾泡贼亭夕酬儒姻卵氛泄杆挨僧蜜吟遂狭肖甜霜揉叠臭宰"
            + "這個們來國時說為會對過發後裡動學經麼現當沒種開實長機點業關與間問應頭體見給電數東員兩從將總無還進樣話產認氣軍處該變議報傳場聽聯門義書區達節覺邊記條運設題師務連類導愛戰備廣製術歷單質隊團選識視輕請讀據寫論響維錢萬衛護險陽陳華試語讓計統權資並億號則熱極係標歲鐵劃屬靈車陸難觀離誰幾聲戲貿覽斷環賣藝態寶濟網興龍壓齊雙歡紅轉強衝聖親顯藥嚴鄉鄰醫錄隻雖雞鳥麥黃黨齒龜從歸於為與從謝愛們這裡邊還"
    )
}
