"""The real series as published on its page (shared/seeds), for `manage.py load_demo`."""

SERIES = {
    "slug": "customer-harassment-prevention",
    "title_en": "Customer Harassment Prevention Seminars",
    "overview_en": (
        "As part of our efforts to prevent customer harassment, we are holding seminars for HR and labor "
        "management personnel of businesses and organizations. This seminar will be held over the course of "
        "five sessions; details such as the schedule and format will be announced progressively.\n\n"
        "Gain knowledge of the legal framework, practical know-how, and the latest case studies necessary for "
        "preventing customer harassment. Participants are free to attend any of the five seminars, ranging "
        "from basic to practical topics. Available for online participation."
    ),
    "audience_en": (
        "Industry organizations and business owners, as well as HR and labor management personnel based in Tokyo."
    ),
    "fee_note_en": "Free of charge",
    "application_rule_en": (
        "Separate registration is required for each session: apply through each session's own application "
        "form.\nIf you wish to change or cancel your application after submitting it, please contact the "
        "administrative office."
    ),
    "contact_email": "info@customer-harassment-taisaku.metro.tokyo.lg.jp",
}

FUJIKI_BIO = (
    "Trainer and advisor specializing in customer harassment response, organizational complaint handling, and "
    "human resource development. At Bellsystem24 Inc., he has been engaged in managing multi-industry call center "
    "operations, developing supervisors, and overseeing quality management, with extensive experience in training "
    "and mentoring over 3,000 individuals. He subsequently served as Director of Human Resources at Aventi Inc., "
    "where he was responsible for recruitment and talent development. At present, he delivers practical, "
    "field-oriented training programs and lectures for private companies and government institutions. He is the "
    "author of Listening Skills and Probing Skills: Understanding Customer Psychology (Ric Telecom)."
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

SPEAKERS = [
    {
        "slug": "hara-masato",
        "name_en": "Hara Masato",
        "affiliation_en": "Faculty of Law, Seikei University",
        "position_en": "Professor",
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
    },
    {
        "slug": "inao-izumi",
        "name_en": "Inao Izumi",
        "affiliation_en": "Cuore C Cube Co., Ltd.",
        "position_en": "Director",
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
    },
    {
        "slug": "fujiki-takeshi",
        "name_en": "Fujiki Takeshi",
        "affiliation_en": "Japan Association for Harassment Risk Management (General Incorporated Association)",
        "position_en": "",
        "biography_en": FUJIKI_BIO,
    },
    {
        "slug": "tsuda-noriko",
        "name_en": "Tsuda Noriko",
        "affiliation_en": "Fine HR",
        "position_en": "President",
        "biography_en": TSUDA_BIO,
    },
    {
        "slug": "murahashi-tetsuya",
        "name_en": "Murahashi Tetsuya",
        "affiliation_en": "Tokyo Beauty and Hygiene Trade Association",
        "position_en": "Executive Director",
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
    },
    {
        "slug": "kunimi-dai",
        "name_en": "Kunimi Dai",
        "affiliation_en": "Harayoshiko Beauty Salon Co., Ltd.",
        "position_en": "President and CEO",
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
    },
    {
        "slug": "osabe-hiromi",
        "name_en": "Osabe Hiromi",
        "affiliation_en": "Social Support Office Citrus",
        "position_en": "Head",
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
    },
    {
        "slug": "sango-masashi",
        "name_en": "Sango Masashi",
        "affiliation_en": "The Japan Harassment Association",
        "position_en": "",
        "biography_en": (
            "After gaining experience in home care services, Sango joined an education and training organization "
            "as a nationwide trainer. Since 2013, he has developed training programs for external clients in the "
            "HR field, delivering blended learning (in-person, online, and video). In 2025, he founded SIHM Co., "
            "Ltd., with the mission “Brightening people and companies through communication,” and has delivered "
            "approximately 1,200 sessions to around 80,000 participants."
        ),
    },
    {
        "slug": "odai-masaki",
        "name_en": "Odai Masaki",
        "affiliation_en": "Japan Direct Selling Association (Public Interest Incorporated Association)",
        "position_en": "Board Member & Executive Director",
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
    },
]

# Topics: a string, or (string, [sub-items]).
SESSIONS = [
    {
        "number": 1,
        "slug": "session-1-basic",
        "level_en": "Basic Session",
        "title_en": "Basic Knowledge of Customer Harassment and Corporate Initiatives",
        "overview_en": (
            "The first session will serve as an introductory course, featuring a leading expert in the field of "
            "customer harassment prevention, research, and practice. Participants will gain foundational knowledge "
            "about customer harassment and learn what measures businesses should take to prevent it."
        ),
        "start": "2025-07-31T14:00",
        "end": "2025-07-31T16:00",
        "open_on": "2025-06-30",
        "close_on": "2025-07-28",
        "topics": [
            "Basic knowledge of customer harassment",
            "Customer harassment prevention ordinances and related laws",
            "Impact and risks associated with customer harassment",
            "Key measures businesses and organizations should implement",
            "Q&A session",
        ],
        "appearances": [("hara-masato", "speaker", ""), ("inao-izumi", "speaker", "")],
    },
    {
        "number": 2,
        "slug": "session-2-advanced",
        "level_en": "Advanced",
        "title_en": "Understanding Customer Harassment and Organizational Responses",
        "overview_en": (
            "The second session will be an advanced course. We will invite instructors who conduct practical "
            "training and lectures focused on customer harassment and organizational development. Participants "
            "will learn to understand the psychology of both the recipient and the perpetrator of customer "
            "harassment, explore concrete ways to respond in specific situations, and study methods for internal "
            "handling, promoting effective practices, and utilizing manuals so that the workplace can manage "
            "issues smoothly."
        ),
        "start": "2025-09-25T14:00",
        "end": "2025-09-25T16:00",
        "open_on": "2025-08-20",
        "close_on": "2025-09-19",
        "topics": [
            "Psychology of Customer Harassment Victims",
            "Psychology of Customer Harassment Perpetrators",
            "Countermeasures Based on Specific Case Studies",
            "Mindset for Handling Customer Harassment Within an Organization",
            "Key Points for Building Internal Systems",
            "Best Practices for Utilizing Manuals Effectively",
            "Q&A session",
        ],
        "appearances": [("fujiki-takeshi", "speaker", ""), ("tsuda-noriko", "speaker", "")],
        "materials": [
            {
                "title_en": "Presentation materials (first half): The Psychology of Victims of Customer Harassment",
                "description_en": (
                    "We are pleased to share a portion of the presentation materials used in the first half of "
                    "the seminar. Please feel free to refer to the examples of the “10 Types of Demands” and the "
                    "“21 Patterns of Demanding Attitudes” from The Psychology of Victims of Customer Harassment."
                ),
                "notice_en": (
                    "The copyrights to these materials and their contents belong to the lecturer and the Tokyo "
                    "Metropolitan Government.\nUnauthorized reproduction, modification, redistribution, or use "
                    "for commercial purposes is strictly prohibited.\nIf you wish to quote or adapt any part of "
                    "the content, please contact the project office in advance."
                ),
                "filename": "session-2-slides.pdf",
            }
        ],
    },
    {
        "number": 3,
        "slug": "session-3-practical-in-person",
        "level_en": "Practical Session ①",
        "title_en": "Measures for Handling Customer Harassment in In-Person Situations",
        "overview_en": (
            "Session 3 will be held as Practical Session ①, focusing on in-person situations. Participants will "
            "learn about the characteristics and realities of customer harassment in face-to-face settings, "
            "explore specific response measures, and discover ways to prevent such incidents by applying "
            "customer service skills. In the latter half, representatives from beauty industry organizations and "
            "members of a customer harassment prevention project will be invited to share real-world challenges "
            "and examples of their initiatives."
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
        "appearances": [
            ("tsuda-noriko", "speaker", ""),
            ("murahashi-tetsuya", "industry_representative", "Tokyo Beauty and Hygiene Trade Association"),
            ("kunimi-dai", "project_member_representative", "Tokyo Beauty and Hygiene Trade Association"),
        ],
    },
    {
        "number": 4,
        "slug": "session-4-practical-phone",
        "level_en": "Practical Session ②",
        "title_en": "Handling Customer Harassment in Phone Response",
        "overview_en": (
            "Session 4 (Practical ②) will focus on phone response scenarios. Based on the characteristics and "
            "actual cases of customer harassment in phone interactions, participants will learn concrete "
            "measures, as well as communication and response skills to prevent harassment proactively. In the "
            "second half, participants will learn about the importance of organizational response in telephone "
            "operations, as well as methods for mental care and building support systems."
        ),
        "start": "2026-01-20T14:00",
        "end": "2026-01-20T16:00",
        "open_on": "2025-12-01",
        "close_on": "2026-01-15",
        "topics": [
            "Characteristics of customer harassment in phone situations",
            "Measures against customer harassment in phone response",
            "Communication and response skills to prevent customer harassment",
            "Understanding the importance of organizational response",
            "Mental care and support systems after customer harassment occurs",
            "Q&A Session",
        ],
        "appearances": [("fujiki-takeshi", "speaker", ""), ("osabe-hiromi", "speaker", "")],
    },
    {
        "number": 5,
        "slug": "session-5-practical-visits",
        "level_en": "Practical Session ③",
        "title_en": "Response Strategies for Customer Harassment During In-Person Visits",
        "overview_en": (
            "Session 5 (Practical ③) will focus on response scenarios during in-person visits. Participants will "
            "learn about the characteristics and realities of customer harassment in visit-based situations, "
            "along with appropriate response methods and practical tips that can be applied on site. In the "
            "second half of the session, representatives from an association in the door-to-door sales industry "
            "will share insights into the current state of customer harassment and real-world case examples. "
            "Through these discussions, participants will deepen their understanding of the measures "
            "organizations should take to address customer harassment."
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
        "appearances": [
            ("sango-masashi", "speaker", ""),
            (
                "odai-masaki",
                "industry_representative",
                "Japan Direct Selling Association (Public Interest Incorporated Association)",
            ),
        ],
    },
]

# Three more sessions dated relative to the day the demo is loaded, so every state can be seen.
# offsets in days from today: (opens, closes, event day)
RELATIVE_SESSIONS = [
    {
        "number": 6,
        "slug": "demo-open-follow-up",
        "level_en": "Follow-up (demo)",
        "title_en": "Follow-up Workshop: Building a Customer Harassment Response Manual",
        "overview_en": (
            "A demonstration session that is open for applications now. Participants work through the structure "
            "of an in-house response manual: definitions, escalation, recording incidents and caring for staff."
        ),
        "offsets": (-7, 14, 21),
        "capacity": 100,
        "waitlist_enabled": True,
        "topics": ["Structure of a response manual", "Escalation and recording", "Caring for staff", "Q&A session"],
        "appearances": [("tsuda-noriko", "speaker", ""), ("fujiki-takeshi", "moderator", "")],
    },
    {
        "number": 7,
        "slug": "demo-upcoming-legal-update",
        "level_en": "Legal update (demo)",
        "title_en": "Legal Update: One Year of the Tokyo Customer Harassment Ordinance",
        "overview_en": (
            "A demonstration session whose applications are not yet open: a review of the first year of the "
            "ordinance and the national law requiring employers to act."
        ),
        "offsets": (10, 30, 40),
        "capacity": 300,
        "waitlist_enabled": False,
        "topics": ["What the ordinance requires", "The national law and employer duties", "Q&A session"],
        "appearances": [("hara-masato", "speaker", "")],
    },
    {
        "number": 8,
        "slug": "demo-closed-case-clinic",
        "level_en": "Case clinic (demo)",
        "title_en": "Case Clinic: Reviewing Real Incidents Together",
        "overview_en": (
            "A demonstration session whose application period has closed; it has not been held yet. Joining "
            "details go out by mail to confirmed applicants."
        ),
        "offsets": (-20, -2, 3),
        "capacity": 50,
        "waitlist_enabled": True,
        "topics": ["Incident reviews", "What worked and what did not", "Q&A session"],
        "appearances": [("osabe-hiromi", "speaker", ""), ("inao-izumi", "speaker", "")],
    },
]
