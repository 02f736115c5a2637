"""The real series as published on its page (shared/seeds), for `manage.py load_demo`.

Every text in English (*_en) and Japanese (*_ja). Speakers' names are in katakana, family name
first: the seed page gives them only in romaji, and the office enters the correct kanji.
"""

SERIES = {
    "slug": "customer-harassment-prevention",
    "title_en": "Customer Harassment Prevention Seminars",
    "title_ja": "カスタマーハラスメント防止対策セミナー",
    "overview_en": (
        "As part of our efforts to prevent customer harassment, we are holding seminars for HR and labour "
        "management personnel of businesses and organisations. The seminar is held over five sessions; the date, "
        "format and application period of each are listed below.\n\n"
        "Gain knowledge of the legal framework, practical know-how, and the latest case studies necessary for "
        "preventing customer harassment. Participants are free to attend any of the five seminars, ranging "
        "from basic to practical topics. Available for online participation."
    ),
    "overview_ja": (
        "カスタマーハラスメント防止対策の一環として、企業・団体の人事・労務担当者の方を対象としたセミナーを開催します。"
        "本セミナーは全5回にわたって開催します。各回の日程、開催形式、申込受付期間は下記のとおりです。\n"
        "\n"
        "カスタマーハラスメントの防止に必要な法的枠組み、実務上のノウハウ、最新の事例を学ぶことができます。基礎編から実"
        "践編まで、全5回のうちお好きな回にご参加いただけます。オンラインでご参加いただけます。"
    ),
    "audience_en": (
        "Industry organisations and business owners, as well as HR and labour management personnel based in Tokyo."
    ),
    "audience_ja": "都内の業界団体・事業者、企業・団体の人事・労務担当者の方",
    "fee_note_en": "Free of charge",
    "fee_note_ja": "無料",
    "application_rule_en": (
        "Separate registration is required for each session: apply through each session's own application "
        "form."
    ),
    "application_rule_ja": (
        "各回ごとにお申込みが必要です。各回のページにある申込フォームからお申し込みください。"
    ),
    "contact_email": "info@customer-harassment-taisaku.metro.tokyo.lg.jp",
}

FUJIKI_BIO = (
    "Trainer and advisor specializing in customer harassment response, organizational complaint handling, and "
    "human resource development. At Bellsystem24 Inc., he has been engaged in managing multi-industry call center "
    "operations, developing supervisors, and overseeing quality management, with extensive experience in training "
    "and mentoring over 3,000 individuals.He subsequently served as Director of Human Resources at Aventi Inc., "
    "where he was responsible for recruitment and talent development. At present, he delivers practical, "
    "field-oriented training programs and lectures for private companies and government institutions. He is the "
    "author of Listening Skills and Probing Skills: Understanding Customer Psychology (Ric Telecom)."
)
FUJIKI_BIO_JA = (
    "カスタマーハラスメント対応、組織的なクレーム対応、人材育成を専門とする講師・アドバイザー。株式会社ベルシステム24に"
    "おいて、多業種のコールセンター運営の管理、スーパーバイザーの育成、品質管理に携わり、3,000人以上の育成・指導に当た"
    "ってきた。その後、株式会社アベンティで人事部長として採用と人材育成を担当。現在は、民間企業や行政機関に向けて、現場"
    "に即した実践的な研修や講演を行っている。著書に『お客様の心理がわかる 聴く技術・訊く技術』（リックテレコム）。"
)
TSUDA_BIO = (
    "She is a trainer specializing in organizational communication. For 11 years, she worked at All Nippon Airways "
    "(ANA) as a First Class Cabin Attendant and Chief Purser, handling numerous customer complaints and customer "
    "harassment cases, while also being responsible for training new staff and designing training programs. She "
    "later joined a recruitment consulting firm, where she supported the hiring processes of around ten companies "
    "and engaged in on-site management. Currently, she provides training and lectures for corporations and local "
    "governments on topics such as customer harassment countermeasures, hospitality, and career development. She "
    "is the author of How the Strongest Team Leaders Build Relationships with Their Members (Forest Publishing)."
)
TSUDA_BIO_JA = (
    "組織のコミュニケーションを専門とする研修講師。全日本空輸株式会社（ANA）で11年間、ファーストクラスの客室乗務員・チ"
    "ーフパーサーとして数多くのお客様からの苦情やカスタマーハラスメントに対応するとともに、新人の育成や研修の企画を担当"
    "。その後、採用コンサルティング会社で約10社の採用活動の支援と現場のマネジメントに携わる。現在は、企業や自治体に向け"
    "て、カスタマーハラスメント対策、ホスピタリティ、キャリア開発などをテーマに研修・講演を行っている。著書に『最強のチ"
    "ームリーダーがやっているメンバーとの関係のつくり方』（フォレスト出版）。"
)

SPEAKERS = [
    {
        "slug": "hara-masato",
        "name_en": "Hara Masato",
        "name_ja": "ハラ マサト",
        "affiliation_en": "Faculty of Law, Seikei University",
        "affiliation_ja": "成蹊大学 法学部",
        "position_en": "Professor",
        "position_ja": "教授",
        "biography_en": (
            "Specializing in labor law, his primary research focuses on legal issues related to workplace "
            "harassment. After graduating from the Faculty of Law at Tohoku University and working there as a "
            "research assistant, he assumed his current position.\n\nHe has served on various expert committees "
            "addressing harassment issues, including the Subcommittee on Working Conditions of the Labor Policy "
            "Council, the Regional Mediation Committee of the Central Labour Relations Commission, the Planning "
            "Committee on Power Harassment Countermeasures under the Ministry of Health, Labour and Welfare, and "
            "the Tokyo Metropolitan Government’s Council for the Promotion of Customer Harassment Prevention "
            "Measures.\n\nHe has extensive experience as a lecturer and speaker at seminars, training programs, "
            "and other educational events. His major publication is Learning Labor Law from Scratch (Keieishoin, "
            "2022)."
        ),
        "biography_ja": (
            "専門は労働法で、職場のハラスメントをめぐる法的問題を主な研究テーマとする。東北大学法学部を卒業後、同大学の"
            "助手を経て現職。\n"
            "\n"
            "労働政策審議会労働条件分科会、中央労働委員会地方調整委員、厚生労働省のパワーハラスメント対策に関する検討会"
            "、東京都カスタマーハラスメント防止対策推進協議会など、ハラスメントの問題を扱うさまざまな専門委員会の委員を"
            "務める。\n"
            "\n"
            "セミナーや研修などでの講師・講演の経験も豊富。主な著書に『ゼロから学ぶ労働法』（経営書院、2022年）。"
        ),
    },
    {
        "slug": "inao-izumi",
        "name_en": "Inao Izumi",
        "name_ja": "イナオ イズミ",
        "affiliation_en": "Cuore C Cube Co., Ltd.",
        "affiliation_ja": "株式会社クオレ・シー・キューブ",
        "position_en": "Director",
        "position_ja": "取締役",
        "biography_en": (
            "After working as a municipal employee, at Sony Corporation, and as a junior high school counselor, "
            "she joined Cuore C Cube Inc. in 2003 as a counselor and lead trainer. She was appointed Executive "
            "Officer in 2017 and currently serves as a Director.\n\nShe is a certified Industrial Counselor and "
            "Career Consultant, and a member of the Japan Society for Industrial Counseling. She has served on "
            "various government panels, including those under the Ministry of Health, Labour and Welfare and the "
            "National Personnel Authority, focusing on power harassment issues.\n\nAs a counselor and training "
            "instructor for government agencies and numerous private companies, she remains active in the areas "
            "of harassment prevention, women’s participation, and diversity promotion."
        ),
        "biography_ja": (
            "自治体職員、ソニー株式会社、中学校の相談員を経て、2003年に株式会社クオレ・シー・キューブに入社し、カウンセ"
            "ラー・主任講師を務める。2017年に執行役員に就任し、現在は取締役。\n"
            "\n"
            "産業カウンセラー、キャリアコンサルタントの資格を持ち、日本産業カウンセリング学会会員。厚生労働省や人事院を"
            "はじめとする国の検討会で、パワーハラスメントの問題に関する委員を務めてきた。\n"
            "\n"
            "官公庁や多くの民間企業のカウンセラー・研修講師として、ハラスメント防止、女性活躍推進、ダイバーシティ推進の"
            "分野で活動している。"
        ),
    },
    {
        "slug": "fujiki-takeshi",
        "name_en": "Fujiki Takeshi",
        "name_ja": "フジキ タケシ",
        "affiliation_en": "Japan Association for Harassment Risk Management (General Incorporated Association)",
        "affiliation_ja": "一般社団法人 日本ハラスメントリスク管理協会",
        "position_en": "",
        "position_ja": "",
        "biography_en": FUJIKI_BIO,
        "biography_ja": FUJIKI_BIO_JA,
    },
    {
        "slug": "tsuda-noriko",
        "name_en": "Tsuda Noriko",
        "name_ja": "ツダ ノリコ",
        "affiliation_en": "Fine HR",
        "affiliation_ja": "ファインHR",
        "position_en": "President",
        "position_ja": "代表",
        "biography_en": TSUDA_BIO,
        "biography_ja": TSUDA_BIO_JA,
    },
    {
        "slug": "murahashi-tetsuya",
        "name_en": "Murahashi Tetsuya",
        "name_ja": "ムラハシ テツヤ",
        "affiliation_en": "Tokyo Beauty and Hygiene Trade Association",
        "affiliation_ja": "東京都美容生活衛生同業組合",
        "position_en": "Executive Director",
        "position_ja": "常務理事",
        "biography_en": (
            "Born in Kyoto Prefecture, Murahashi Tetsuya comes from a family that has operated a beauty salon for "
            "over 100 years. After graduating from university and working in the financial sector, he took over "
            "the family business. Tetsuya currently runs a comprehensive beauty salon in Takanawa, Minato-ku, "
            "Tokyo, and promotes social contribution activities through beauty services—such as providing "
            "appearance care for cancer patients and free beauty services for children from low-income families. "
            "He is also dedicated to advancing digital transformation within the industry, including the use of "
            "VR videos for skills training. Murahashi Tetsuya holds several key positions, including Visiting "
            "Professor at Fujita Health University and Representative Director of the Appearance Support Tokyo "
            "Association."
        ),
        "biography_ja": (
            "京都府生まれ。100年以上続く美容室を営む家系に育つ。大学卒業後、金融業界での勤務を経て家業を継承。現在は東"
            "京都港区高輪で総合美容室を経営し、がん患者へのアピアランスケアや、生活困窮世帯の子どもへの無料の美容サービ"
            "スなど、美容を通じた社会貢献活動を進めている。VR動画を活用した技術研修など、業界のデジタル化の推進にも力を"
            "注ぐ。藤田医科大学客員教授、アピアランスサポート東京代表理事など、多くの要職を務める。"
        ),
    },
    {
        "slug": "kunimi-dai",
        "name_en": "Kunimi Dai",
        "name_ja": "クニミ ダイ",
        "affiliation_en": "Harayoshiko Beauty Salon Co., Ltd.",
        "affiliation_ja": "株式会社ハラヨシコ美容室",
        "position_en": "President and CEO",
        "position_ja": "代表取締役社長",
        "biography_en": (
            "After graduating from the International Culture Beauty and Barber College Shibuya Campus, Kunimi Dai "
            "gained experience in beauty salons and the apparel industry before joining Stylelife Co., Ltd. (now "
            "Rakuten Group, Inc.), where he was involved in new business development and public relations. He "
            "later took over his family business, Harayoshiko Beauty Salon Co., Ltd., where he manages salon "
            "operations and works in bridal hair and makeup. Kunimi has extensive experience handling diverse "
            "customer interactions, complaints, and cases of customer harassment in service settings. He is "
            "currently studying in the Faculty of Law (Distance Learning Program) at Chuo University and serves as "
            "a project member promoting customer harassment prevention initiatives at the Tokyo Beauty and "
            "Hygiene Trade Association."
        ),
        "biography_ja": (
            "国際文化理容美容専門学校渋谷校を卒業後、美容室やアパレル業界での経験を経て、スタイライフ株式会社（現・楽天"
            "グループ株式会社）に入社し、新規事業の開発や広報に携わる。その後、家業である株式会社ハラヨシコ美容室を継ぎ"
            "、サロンの経営とブライダルのヘアメイクに当たる。接客の現場で、さまざまなお客様への対応、苦情、カスタマーハ"
            "ラスメントの事例に対応してきた経験が豊富。現在、中央大学法学部通信教育課程で学びながら、東京都美容生活衛生"
            "同業組合でカスタマーハラスメント防止の取組を進めるプロジェクトのメンバーを務める。"
        ),
    },
    {
        "slug": "osabe-hiromi",
        "name_en": "Osabe Hiromi",
        "name_ja": "オサベ ヒロミ",
        "affiliation_en": "Social Support Office Citrus",
        "affiliation_ja": "ソーシャルサポートオフィス シトラス",
        "position_en": "Head",
        "position_ja": "代表",
        "biography_en": (
            "Has approximately 20 years of experience in public consultation services, including the Employment "
            "Equality Office at the Tokyo Labour Bureau, the Ministry of Health, Labour and Welfare’s “Kokoro no "
            "Mimi,” and the Tokyo Legal Affairs Bureau of the Ministry of Justice. As Head of the Harassment "
            "Consultation Office at the Japan Industrial Counselors Association, oversaw consultation services and "
            "is well-versed in the realities of phone response. Currently works as a trainer and instructor for "
            "counselors, and also serves as a lecturer for customer harassment prevention seminars at the Tokyo "
            "Chamber of Commerce and Industry, providing guidance and support for organizational systems. "
            "Certified Mental Health Social Worker and Senior Industrial Counselor."
        ),
        "biography_ja": (
            "東京労働局雇用均等室、厚生労働省「こころの耳」、法務省東京法務局など、公的な相談業務に約20年携わる。一般社"
            "団法人日本産業カウンセラー協会のハラスメント相談室長として相談業務を統括し、電話対応の実情に精通している。"
            "現在は、相談員の育成に当たる研修講師として活動するとともに、東京商工会議所のカスタマーハラスメント防止セミ"
            "ナーの講師も務め、組織の体制づくりについて助言・支援を行っている。精神保健福祉士、シニア産業カウンセラー。"
        ),
    },
    {
        "slug": "sango-masashi",
        "name_en": "Sango Masashi",
        "name_ja": "サンゴ マサシ",
        "affiliation_en": "The Japan Harassment Association",
        "affiliation_ja": "日本ハラスメント協会",
        "position_en": "",
        "position_ja": "",
        "biography_en": (
            "After gaining experience in home care services, Sango joined an education and training organization "
            "as a nationwide trainer. Since 2013, he has developed training programs for external clients in the "
            "HR field, delivering blended learning (in-person, online, and video). In 2025, he founded SIHM Co., "
            "Ltd., with the mission “Brightening people and companies through communication,” and has delivered "
            "approximately 1,200 sessions to around 80,000 participants."
        ),
        "biography_ja": (
            "訪問介護の仕事を経験した後、教育研修機関に入り、全国で研修講師を務める。2013年から人事分野で社外向けの研修"
            "プログラムを開発し、集合研修・オンライン研修・動画を組み合わせたブレンディッドラーニングを提供。2025年に「"
            "コミュニケーションで人と企業を明るくする」を理念に株式会社SIHMを設立。これまでに約1,200回、延べ約8万人に研"
            "修を行ってきた。"
        ),
    },
    {
        "slug": "odai-masaki",
        "name_en": "Odai Masaki",
        "name_ja": "オダイ マサキ",
        "affiliation_en": "Japan Direct Selling Association (Public Interest Incorporated Association)",
        "affiliation_ja": "公益社団法人日本訪問販売協会",
        "position_en": "Board Member & Executive Director",
        "position_ja": "理事・事務局長",
        "biography_en": (
            "Born in 1973 in Tokyo. Odai served as a member of the Study Group on the Digitalization of Contracts "
            "under the Act on Specified Commercial Transactions at the Consumer Affairs Agency (July 2021 – October "
            "2022) and as a member of the Kamakura City Consumer Affairs Committee (September 2019 – August 2023). "
            "The Japan Direct Selling Association is a public interest incorporated association established under "
            "Article 27 of the Act on Specified Commercial Transactions. It is composed of businesses engaged in "
            "door-to-door sales and carries out activities such as developing ethical guidelines and voluntary "
            "codes of conduct, issuing registration certificates for sales representatives, establishing "
            "qualifications for training personnel, and operating the consumer consultation service, the “Direct "
            "Selling Hotline.”"
        ),
        "biography_ja": (
            "1973年東京都生まれ。消費者庁「特定商取引法における契約書面等の電子化に関する検討会」委員（2021年7月～2022"
            "年10月）、鎌倉市消費生活審議会委員（2019年9月～2023年8月）を務めた。公益社団法人日本訪問販売協会は、特定商"
            "取引に関する法律第27条に基づいて設立された公益社団法人。訪問販売を行う事業者で構成され、倫理綱領や自主行動"
            "基準の策定、訪問販売員の登録証の発行、研修講師の資格制度の運営、消費者相談窓口「訪問販売ホットライン」の運"
            "営などを行っている。"
        ),
    },
]

TOKYO_BEAUTY_JA = "東京都美容生活衛生同業組合"

# Archives. The office pastes its own recordings' addresses; the demo shows the players with the
# video services' own sample videos (YouTube's IFrame API demo, Vimeo's player demo). Sessions 3 to 5
# have none yet, so a page without an archive can be seen too (and the browser tests that visit
# session 3 stay on this machine: an embedded player loads from the video service).
DEMO_YOUTUBE = "https://www.youtube.com/watch?v=M7lc1UVf-VE"
DEMO_VIMEO = "https://vimeo.com/76979871"
# Captions in Japanese (the track's srclang), written by the demo loader into media storage as WebVTT.
DEMO_CAPTIONS_JA = (
    "WEBVTT\n"
    "\n"
    "00:00:00.000 --> 00:00:06.000\n"
    "カスタマーハラスメント防止対策セミナー、第2回応用編にご参加いただき、ありがとうございます。\n"
    "\n"
    "00:00:06.000 --> 00:00:12.000\n"
    "前半は、カスタマーハラスメントを受ける側と行う側、双方の心理について考えます。\n"
    "\n"
    "00:00:12.000 --> 00:00:18.000\n"
    "後半は、組織としての対応と、マニュアルの活用方法を取り上げます。\n"
)

# Topics (English in "topics", Japanese in "topics_ja", the same shape): a string, or (string, [sub-items]).
# Appearances: (speaker slug, role, organisation note in English, the same in Japanese).
SESSIONS = [
    {
        "number": 1,
        "slug": "session-1-basic",
        "level_en": "Basic Session",
        "level_ja": "基礎編",
        "title_en": "Basic Knowledge of Customer Harassment and Corporate Initiatives",
        "title_ja": "カスタマーハラスメントの基礎知識と企業の取組",
        "overview_en": (
            "The first session will serve as an introductory course, featuring a leading expert in the field of "
            "customer harassment prevention, research, and practice. Participants will gain foundational knowledge "
            "about customer harassment and learn what measures businesses should take to prevent it."
        ),
        "overview_ja": (
            "第1回は入門編として、カスタマーハラスメント防止の研究と実務の第一人者を講師にお迎えします。カスタマーハラ"
            "スメントに関する基礎的な知識と、その防止のために事業者が取るべき対策について学びます。"
        ),
        "start": "2025-07-31T14:00",
        "end": "2025-07-31T16:00",
        "open_on": "2025-06-30",
        "close_on": "2025-07-28",
        "topics": [
            "Basic knowledge of customer harassment",
            "Customer harassment prevention ordinances and related laws",
            "Impact and risks associated with customer harassment",
            "Key measures businesses and organisations should implement",
            "Q&A session",
        ],
        "topics_ja": [
            "カスタマーハラスメントの基礎知識",
            "カスタマーハラスメント防止条例と関係法令",
            "カスタマーハラスメントがもたらす影響とリスク",
            "事業者・団体が取り組むべき対策のポイント",
            "質疑応答",
        ],
        "appearances": [("hara-masato", "speaker", "", ""), ("inao-izumi", "speaker", "", "")],
        "archive": {"video_url": DEMO_YOUTUBE, "access": "public", "published_days_after": 7},
    },
    {
        "number": 2,
        "slug": "session-2-advanced",
        "level_en": "Advanced",
        "level_ja": "応用編",
        "title_en": "Understanding Customer Harassment and Organizational Responses",
        "title_ja": "カスタマーハラスメントの理解と組織的な対応",
        "overview_en": (
            "The second session will be an advanced course. We will invite instructors who conduct practical "
            "training and lectures focused on customer harassment and organisational development. Participants "
            "will learn to understand the psychology of both the recipient and the perpetrator of customer "
            "harassment, explore concrete ways to respond in specific situations, and study methods for internal "
            "handling, promoting effective practices, and utilizing manuals so that the workplace can manage "
            "issues smoothly."
        ),
        "overview_ja": (
            "第2回は応用編です。カスタマーハラスメントや組織開発をテーマに実践的な研修・講演を行っている講師をお招きし"
            "ます。カスタマーハラスメントを受ける側と行う側、双方の心理を理解し、具体的な場面での対応方法を考えるととも"
            "に、職場で円滑に対処できるよう、組織内での対応方法、効果的な取組の進め方、マニュアルの活用方法について学び"
            "ます。"
        ),
        "start": "2025-09-25T14:00",
        "end": "2025-09-25T16:00",
        "open_on": "2025-08-20",
        "close_on": "2025-09-19",
        "topics": [
            "Psychology of Customer Harassment Victims",
            "Psychology of Customer Harassment Perpetrators",
            "Countermeasures Based on Specific Case Studies",
            "Mindset for Handling Customer Harassment Within an Organisation",
            "Key Points for Building Internal Systems",
            "Best Practices for Utilizing Manuals Effectively",
            "Q&A session",
        ],
        "topics_ja": [
            "カスタマーハラスメントを受ける側の心理",
            "カスタマーハラスメントを行う側の心理",
            "具体的な事例に基づく対応策",
            "組織としてカスタマーハラスメントに対応する際の心構え",
            "社内体制づくりのポイント",
            "マニュアルを効果的に活用するためのポイント",
            "質疑応答",
        ],
        "appearances": [("fujiki-takeshi", "speaker", "", ""), ("tsuda-noriko", "speaker", "", "")],
        "archive": {
            "video_url": DEMO_VIMEO, "access": "public", "published_days_after": 10, "captions": DEMO_CAPTIONS_JA,
        },
        "materials": [
            {
                "title_en": "Presentation materials (first half): The Psychology of Victims of Customer Harassment",
                "title_ja": "講演資料（前半）：カスタマーハラスメントを受ける側の心理",
                "description_en": (
                    "We are pleased to share a portion of the presentation materials used in the first half of "
                    "the seminar. Please feel free to refer to the examples of the “10 Types of Demands” and the "
                    "“21 Patterns of Demanding Attitudes” from The Psychology of Victims of Customer Harassment."
                ),
                "description_ja": (
                    "セミナー前半で使用した講演資料の一部を公開します。「カスタマーハラスメントを受ける側の心理」の中の"
                    "「要求の10類型」と「要求態度の21パターン」の例示を、ぜひご参考にしてください。"
                ),
                "notice_en": (
                    "The copyrights to these materials and their contents belong to the lecturer and the Tokyo "
                    "Metropolitan Government.\nUnauthorized reproduction, modification, redistribution, or use "
                    "for commercial purposes is strictly prohibited.\nIf you wish to quote or adapt any part of "
                    "the content, please contact the project office in advance."
                ),
                "notice_ja": (
                    "本資料及びその内容の著作権は、講師及び東京都に帰属します。\n"
                    "無断での転載、改変、再配布、営利目的での利用は固くお断りします。\n"
                    "内容の一部を引用・転用する場合は、事前に事務局までご連絡ください。"
                ),
                "filename": "session-2-slides.pdf",
            }
        ],
    },
    {
        "number": 3,
        "slug": "session-3-practical-in-person",
        "level_en": "Practical Session ①",
        "level_ja": "実践編①",
        "title_en": "Measures for Handling Customer Harassment in In-Person Situations",
        "title_ja": "対面の場面におけるカスタマーハラスメント対策",
        "overview_en": (
            "Session 3 will be held as Practical Session ①, focusing on in-person situations. Participants will "
            "learn about the characteristics and realities of customer harassment in face-to-face settings, "
            "explore specific response measures, and discover ways to prevent such incidents by applying "
            "customer service skills. In the latter half, representatives from beauty industry organisations and "
            "members of a customer harassment prevention project will be invited to share real-world challenges "
            "and examples of their initiatives."
        ),
        "overview_ja": (
            "第3回は実践編①として、対面の場面を取り上げます。対面でのカスタマーハラスメントの特徴と実態を学び、具体的な"
            "対応策や、接客スキルを生かした未然防止の方法を考えます。後半では、美容業界の団体の代表者とカスタマーハラス"
            "メント防止プロジェクトのメンバーをお招きし、現場の課題や取組の事例をご紹介いただきます。"
        ),
        "start": "2025-12-25T15:00",
        "end": "2025-12-25T17:00",
        "open_on": "2025-10-30",
        "close_on": "2025-11-26",
        "topics": [
            "Characteristics of Customer Harassment in In-Person Situations",
            "Basic Attitudes and Response Methods for Handling Customer Harassment",
            "Preventing Customer Harassment Through Customer Service Skills",
            (
                "Case Studies",
                [
                    "① Challenges, Initiatives, and Prospects in the Beauty Industry",
                    "② On-Site Case Examples of Customer Harassment Prevention Efforts",
                ],
            ),
            "Q&A Session",
        ],
        "topics_ja": [
            "対面の場面におけるカスタマーハラスメントの特徴",
            "カスタマーハラスメントへの対応の基本姿勢と対応方法",
            "接客スキルによるカスタマーハラスメントの未然防止",
            (
                "事例紹介",
                ["① 美容業界における課題・取組と今後の展望", "② 現場におけるカスタマーハラスメント防止の取組事例"],
            ),
            "質疑応答",
        ],
        "appearances": [
            ("tsuda-noriko", "speaker", "", ""),
            (
                "murahashi-tetsuya",
                "industry_representative",
                "Tokyo Beauty and Hygiene Trade Association",
                TOKYO_BEAUTY_JA,
            ),
            (
                "kunimi-dai",
                "project_member_representative",
                "Tokyo Beauty and Hygiene Trade Association",
                TOKYO_BEAUTY_JA,
            ),
        ],
    },
    {
        "number": 4,
        "slug": "session-4-practical-phone",
        "level_en": "Practical Session ②",
        "level_ja": "実践編②",
        "title_en": "Handling Customer Harassment in Phone Response",
        "title_ja": "電話対応におけるカスタマーハラスメント対策",
        "overview_en": (
            "Session 4 (Practical ②) will focus on phone response scenarios. Based on the characteristics and "
            "actual cases of customer harassment in phone interactions, participants will learn concrete "
            "measures, as well as communication and response skills to prevent harassment proactively. In the "
            "second half, participants will learn about the importance of organisational response in telephone "
            "operations, as well as methods for mental care and building support systems."
        ),
        "overview_ja": (
            "第4回は実践編②として、電話対応の場面を取り上げます。電話でのカスタマーハラスメントの特徴と実際の事例をもと"
            "に、具体的な対策と、ハラスメントを未然に防ぐためのコミュニケーション・対応スキルを学びます。後半では、電話"
            "業務における組織的な対応の重要性と、メンタルケアや支援体制づくりの方法について学びます。"
        ),
        "start": "2026-01-20T14:00",
        "end": "2026-01-20T16:00",
        "open_on": "2025-12-01",
        "close_on": "2026-01-15",
        "topics": [
            "Characteristics of customer harassment in phone situations",
            "Measures against customer harassment in phone response",
            "Communication and response skills to prevent customer harassment",
            "Understanding the importance of organisational response",
            "Mental care and support systems after customer harassment occurs",
            "Q&A Session",
        ],
        "topics_ja": [
            "電話の場面におけるカスタマーハラスメントの特徴",
            "電話対応におけるカスタマーハラスメント対策",
            "カスタマーハラスメントを未然に防ぐコミュニケーション・対応スキル",
            "組織的な対応の重要性の理解",
            "カスタマーハラスメント発生後のメンタルケアと支援体制",
            "質疑応答",
        ],
        "appearances": [("fujiki-takeshi", "speaker", "", ""), ("osabe-hiromi", "speaker", "", "")],
    },
    {
        "number": 5,
        "slug": "session-5-practical-visits",
        "level_en": "Practical Session ③",
        "level_ja": "実践編③",
        "title_en": "Response Strategies for Customer Harassment During In-Person Visits",
        "title_ja": "訪問の場面におけるカスタマーハラスメントへの対応策",
        "overview_en": (
            "Session 5 (Practical ③) will focus on response scenarios during in-person visits. Participants will "
            "learn about the characteristics and realities of customer harassment in visit-based situations, "
            "along with appropriate response methods and practical tips that can be applied on site. In the "
            "second half of the session, representatives from an association in the door-to-door sales industry "
            "will share insights into the current state of customer harassment and real-world case examples. "
            "Through these discussions, participants will deepen their understanding of the measures "
            "organisations should take to address customer harassment."
        ),
        "overview_ja": (
            "第5回は実践編③として、訪問時の対応の場面を取り上げます。訪問の場面でのカスタマーハラスメントの特徴と実態、"
            "適切な対応方法、現場で生かせる実践的なポイントを学びます。後半では、訪問販売業界の団体の代表者から、カスタ"
            "マーハラスメントの現状と実際の事例をご紹介いただきます。これらを通じて、組織としてカスタマーハラスメントに"
            "対処するために取るべき対策について理解を深めます。"
        ),
        "start": "2026-02-13T14:00",
        "end": "2026-02-13T16:00",
        "open_on": "2026-01-16",
        "close_on": "2026-02-09",
        "topics": [
            "Characteristics of customer harassment during in-person visits",
            "Basic principles and response methods for handling customer harassment",
            "Key points for preventing customer harassment in visit-based situations",
            (
                "Case studies",
                [
                    "① Current conditions, initiatives, and outlook in the door-to-door sales industry",
                    "② Real-world cases of customer harassment and response approaches",
                ],
            ),
            "Q&A session",
        ],
        "topics_ja": [
            "訪問時におけるカスタマーハラスメントの特徴",
            "カスタマーハラスメントへの対応の基本原則と対応方法",
            "訪問の場面におけるカスタマーハラスメント防止のポイント",
            (
                "事例紹介",
                ["① 訪問販売業界の現状・取組と今後の展望", "② カスタマーハラスメントの実際の事例と対応の考え方"],
            ),
            "質疑応答",
        ],
        "appearances": [
            ("sango-masashi", "speaker", "", ""),
            (
                "odai-masaki",
                "industry_representative",
                "Japan Direct Selling Association (Public Interest Incorporated Association)",
                "公益社団法人日本訪問販売協会",
            ),
        ],
    },
]
