"""Region classes from 시도/시군구 names: the two income-recognition methods class regions differently.

기초생활보장 (보건복지부 고시 「재산의 소득환산」 별표): 서울 / 경기 / 광역시·세종·창원 / 그 외.
기초연금 (기초연금법 시행령 별표, 선정기준액 고시): 대도시 = 특별·광역시의 구, 중소도시 = 시, 농어촌 = 군.
The household format carries no 읍·면·동, so a 도농복합시's 읍·면 counts as 중소도시 (documented).
"""

from __future__ import annotations

REGION_NBLS = ("seoul", "gyeonggi", "metro", "other")
REGION_BP = ("metro_city", "small_city", "rural")

# The 17 시도 and their kind; short names are accepted as aliases of the official name.
SIDO: dict[str, str] = {
    "서울특별시": "special", "부산광역시": "metro", "대구광역시": "metro", "인천광역시": "metro",
    "광주광역시": "metro", "대전광역시": "metro", "울산광역시": "metro", "세종특별자치시": "sejong",
    "경기도": "province", "강원특별자치도": "province", "충청북도": "province", "충청남도": "province",
    "전북특별자치도": "province", "전라남도": "province", "경상북도": "province", "경상남도": "province",
    "제주특별자치도": "province",
}
ALIASES = {
    "서울": "서울특별시", "부산": "부산광역시", "대구": "대구광역시", "인천": "인천광역시", "광주": "광주광역시",
    "대전": "대전광역시", "울산": "울산광역시", "세종": "세종특별자치시", "경기": "경기도", "강원": "강원특별자치도",
    "강원도": "강원특별자치도", "충북": "충청북도", "충남": "충청남도", "전북": "전북특별자치도",
    "전라북도": "전북특별자치도", "전남": "전라남도", "경북": "경상북도", "경남": "경상남도", "제주": "제주특별자치도",
}
SIDO.update({alias: SIDO[official] for alias, official in ALIASES.items()})
CAPITAL_AREA = {"서울특별시", "경기도", "인천광역시"}


def official_sido(sido: str) -> str:
    """Return the official 시도 name for a name or alias in `SIDO`."""
    return ALIASES.get(sido, sido)


def region_nbls(sido: str, sigungu: str) -> str:
    """Return the 기초생활보장 region class: seoul, gyeonggi, metro (광역·세종·창원) or other."""
    name = official_sido(sido)
    if name == "서울특별시":
        return "seoul"
    if name == "경기도":
        return "gyeonggi"
    if SIDO[name] in ("metro", "sejong") or sigungu.startswith("창원"):
        return "metro"
    return "other"


def region_bp(sido: str, sigungu: str) -> str:
    """Return the 기초연금 region class: metro_city (특별·광역시의 구), small_city (시) or rural (군)."""
    if _last_word(sigungu).endswith("군"):
        return "rural"
    if SIDO[official_sido(sido)] in ("special", "metro"):
        return "metro_city"
    return "small_city"


def capital_area(sido: str) -> bool:
    """Return whether the 시도 is in the capital area (서울·경기·인천)."""
    return official_sido(sido) in CAPITAL_AREA


def _last_word(sigungu: str) -> str:
    # "창원시 의창구" is a 구 of a 시; "달성군" a 군 of a 광역시: the last word decides.
    words = sigungu.split()
    return words[-1] if words else ""
