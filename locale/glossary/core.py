"""Korean for the site-wide strings (base page, home, errors, users and offices)."""

CORE = {
    "Applications": "신청",
    "Caseload": "사례관리",
    "Korean": "한국어",
    "English": "영어",
    "Eligibility": "수급 자격",
    "Role and office": "역할과 소속 기관",
    "Membership": "복지멤버십",
    "Community center": "행정복지센터",
    "Partner welfare institution": "민간 복지기관",
    "Ministry or local government": "중앙부처·지방자치단체",
    "office code": "기관 코드",
    "name": "이름",
    "kind": "종류",
    "province or city (시·도)": "시·도",
    "district (시·군·구)": "시·군·구",
    "neighbourhood (읍·면·동)": "읍·면·동",
    "office": "기관",
    "offices": "기관",
    "Citizen": "시민",
    "Community-center caseworker": "행정복지센터 담당자",
    "Partner-institution worker": "민간기관 실무자",
    "Supervisor": "팀장(감독자)",
    "Administrator": "관리자",
    "role": "역할",
    "language": "언어",
    "Not allowed": "접근 권한 없음",
    "You may not see this page": "이 페이지를 볼 권한이 없습니다",
    "If you think you should, ask your office's supervisor.": "권한이 필요하면 소속 기관의 팀장에게 문의하세요.",
    "Page not found": "페이지를 찾을 수 없습니다",
    "Back to the home page": "첫 화면으로 돌아가기",
    "How to apply": "신청 방법",
    "Apply online, or visit any community center (행정복지센터) in the country; it does not have to be the one "
    "of your registered address.": "온라인으로 신청하거나 전국 어느 행정복지센터든 방문하세요. 주민등록 주소지의 "
    "센터가 아니어도 됩니다.",
    "The office that receives your application sends it to the community center of your registered address "
    "within 3 days.": "신청을 받은 기관은 3일 이내에 주소지 행정복지센터로 이관합니다.",
    "That office investigates your household's income and assets and tells you the decision.":
        "주소지 센터가 가구의 소득·재산을 조사한 뒤 결과를 알려드립니다.",
    "Staff of partner welfare institutions can also file for you, with your consent.":
        "동의하시면 민간 복지기관 직원이 대신 신청할 수도 있습니다.",
    "Welfare Membership": "복지멤버십",
    "Skip to main content": "본문 바로가기",
    "This is an official website of the Republic of Korea government.": "이 누리집은 대한민국 공식 전자정부 누리집입니다.",
    "Main menu": "주 메뉴",
    "Find benefits": "복지서비스 찾기",
    "Office desk": "업무 화면",
    "My page": "마이페이지",
    "Sign out": "로그아웃",
    "Sign in": "로그인",
    "Ministry of Health and Welfare": "보건복지부",
    "Help: call 129 (health and welfare counselling), weekdays 9:00–18:00.":
        "도움이 필요하면 보건복지상담센터 129 (평일 9:00–18:00)로 전화하세요.",
    "Results on this site are estimates; the decision is made by the office after you apply.":
        "이 누리집의 결과는 예상이며, 최종 결정은 신청 후 담당 기관이 합니다.",
    "Office": "소속 기관",
    "Role": "역할",
    "National welfare benefits, who they are for and how to apply.": "국가 복지서비스의 대상, 내용, 신청 방법을 안내합니다.",
    "Home": "홈",
    "Benefits you can get, before you have to ask": "받을 수 있는 복지, 묻기 전에 먼저 알려드립니다",
    "Check which of the national welfare benefits your household can receive, why, and how much. Join the "
    "membership and we will tell you when something changes.":
        "우리 가구가 받을 수 있는 복지서비스와 그 이유, 예상 금액을 확인하세요. 복지멤버십에 가입하면 달라지는 "
        "것이 있을 때 알려드립니다.",
    "Search benefits": "복지서비스 검색",
    "e.g. basic pension, child allowance": "예: 기초연금, 아동수당",
    "Search": "검색",
    "Where to start": "이렇게 시작하세요",
    "Browse all benefits": "전체 복지서비스 보기",
    "By life stage, household situation and theme.": "생애주기, 가구상황, 관심주제별로 찾아보세요.",
    "Browse benefits": "복지서비스 보기",
    "Apply from any office": "전국 어디서나 신청",
    "File online, or at any community center in the country, whatever your registered address.":
        "온라인으로, 또는 주소지와 관계없이 전국 어느 행정복지센터에서나 신청할 수 있습니다.",
    "Join the membership": "복지멤버십 가입",
    "With your consent we check your household regularly and tell you what you can newly get.":
        "동의하시면 가구 상황을 정기적으로 확인해 새로 받을 수 있는 복지를 알려드립니다.",
    "Signed in as": "로그인 사용자",
}
