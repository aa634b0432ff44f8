"""The 복지로 service-search codes (한국사회보장정보원 복지서비스 Open API: lifeArray,
trgterIndvdlArray, intrsThemaArray), as given in shared/domain/rules-notes.md §7."""

LIFE_STAGES = [("001", "영유아", "Infants"), ("002", "아동", "Children"), ("003", "청소년", "Teenagers"),
               ("004", "청년", "Young adults"), ("005", "중장년", "Middle-aged"), ("006", "노년", "Older people"),
               ("007", "임신·출산", "Pregnancy and birth")]
SITUATIONS = [("010", "다문화·탈북민", "Multicultural / North Korean defectors"), ("020", "다자녀", "Many children"),
              ("030", "보훈대상자", "Veterans"), ("040", "장애인", "Disabled people"), ("050", "저소득", "Low income"),
              ("060", "한부모·조손", "Single parents / grandparent-headed")]
THEMES = [("010", "신체건강", "Physical health"), ("020", "정신건강", "Mental health"), ("030", "생활지원", "Living support"),
          ("040", "주거", "Housing"), ("050", "일자리", "Jobs"), ("060", "문화·여가", "Culture and leisure"),
          ("070", "안전·위기", "Safety and crisis"), ("080", "임신·출산", "Pregnancy and birth"), ("090", "보육", "Childcare"),
          ("100", "교육", "Education"), ("110", "입양·위탁", "Adoption and foster care"), ("120", "보호·돌봄", "Care"),
          ("130", "서민금융", "Low-income finance"), ("140", "법률", "Legal aid"), ("150", "관계개선", "Relationships"),
          ("160", "에너지", "Energy")]

TAXONOMY = (
    [("life_stage", *row) for row in LIFE_STAGES]
    + [("situation", *row) for row in SITUATIONS]
    + [("theme", *row) for row in THEMES]
)
