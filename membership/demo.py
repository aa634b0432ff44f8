"""The demo offices and accounts that `make run` creates: one of each role, printed at start."""

DEMO_PASSWORD = "demo-2026-welfare"

OFFICES = [
    {"code": "1162058500", "name": "관악구 청룡동 주민센터", "kind": "community_center",
     "sido": "서울특별시", "sigungu": "관악구", "eupmyeondong": "청룡동"},
    {"code": "2635052500", "name": "해운대구 우1동 행정복지센터", "kind": "community_center",
     "sido": "부산광역시", "sigungu": "해운대구", "eupmyeondong": "우1동"},
    {"code": "P-11620-001", "name": "관악종합사회복지관", "kind": "partner",
     "sido": "서울특별시", "sigungu": "관악구"},
    {"code": "MOHW", "name": "보건복지부", "kind": "ministry", "sido": "세종특별자치시"},
]

# username, role, office code (None for citizens and the admin), full name, can enter the Django admin
ACCOUNTS = [
    ("citizen", "citizen", None, "김시민", False),
    ("caseworker", "caseworker", "1162058500", "이담당", False),
    ("caseworker_busan", "caseworker", "2635052500", "박담당", False),
    ("partner", "partner_worker", "P-11620-001", "최복지", False),
    ("supervisor", "supervisor", "1162058500", "정팀장", False),
    ("admin", "admin", "MOHW", "관리자", True),
]
