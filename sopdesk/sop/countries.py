"""Countries as buyers write them: ISO codes, English names and variants, their own languages'
names and Chinese names, all to ISO 3166-1 alpha-2 (pycountry for the names, a small alias table
for the rest).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry


def fold(text: str) -> str:
    """NFKC, casefold, accents removed (so "Société" and "SOCIETE" agree)."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


_COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US", "the united states": "US", "uk": "GB", "u k": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "united kingdom": "GB", "uae": "AE", "u a e": "AE",
    "emirates": "AE", "dubai": "AE", "abu dhabi": "AE", "turkey": "TR", "turkiye": "TR",
    "russia": "RU", "korea": "KR", "south korea": "KR", "republic of korea": "KR",
    "north korea": "KP", "vietnam": "VN", "viet nam": "VN", "iran": "IR", "holland": "NL",
    "the netherlands": "NL", "macedonia": "MK", "ivory coast": "CI", "cote d ivoire": "CI",
    "palestine": "PS", "swaziland": "SZ", "burma": "MM", "cape verde": "CV", "brunei": "BN",
    "ksa": "SA", "saudi": "SA", "czech republic": "CZ", "dr congo": "CD", "drc": "CD",
    "congo kinshasa": "CD", "congo brazzaville": "CG", "laos": "LA", "syria": "SY",
    "taiwan": "TW", "hong kong": "HK", "hongkong": "HK", "macau": "MO", "bolivia": "BO",
    "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "vatican": "VA", "micronesia": "FM",
    "bosnia": "BA", "east timor": "TL", "kosovo": "XK", "mainland china": "CN", "prc": "CN",
    "p r china": "CN", "pr china": "CN",
    # names in their own languages, as buyers type them
    "deutschland": "DE", "allemagne": "DE", "alemania": "DE", "germania": "DE", "brasil": "BR",
    "espana": "ES", "italia": "IT", "osterreich": "AT", "schweiz": "CH", "suisse": "CH",
    "svizzera": "CH", "nederland": "NL", "belgique": "BE", "belgie": "BE", "polska": "PL",
    "cesko": "CZ", "magyarorszag": "HU", "sverige": "SE", "norge": "NO", "danmark": "DK",
    "suomi": "FI", "ellada": "GR", "rossiya": "RU", "россия": "RU", "україна": "UA",
    "mexique": "MX", "estados unidos": "US", "eeuu": "US", "ee uu": "US", "reino unido": "GB",
    "royaume uni": "GB", "etats unis": "US", "emiratos arabes unidos": "AE", "nippon": "JP",
    "日本国": "JP", "대한민국": "KR", "한국": "KR", "việt nam": "VN", "indonesia": "ID",
    "philippines": "PH", "al maghrib": "MA", "misr": "EG",
}  # fmt: skip

_COUNTRY_ZH: dict[str, str] = {
    "美国": "US", "英国": "GB", "德国": "DE", "法国": "FR", "意大利": "IT", "西班牙": "ES",
    "葡萄牙": "PT", "荷兰": "NL", "比利时": "BE", "瑞士": "CH", "瑞典": "SE", "挪威": "NO",
    "丹麦": "DK", "芬兰": "FI", "冰岛": "IS", "爱尔兰": "IE", "奥地利": "AT", "波兰": "PL",
    "捷克": "CZ", "斯洛伐克": "SK", "匈牙利": "HU", "罗马尼亚": "RO", "保加利亚": "BG",
    "希腊": "GR", "克罗地亚": "HR", "塞尔维亚": "RS", "斯洛文尼亚": "SI", "立陶宛": "LT",
    "拉脱维亚": "LV", "爱沙尼亚": "EE", "卢森堡": "LU", "塞浦路斯": "CY", "马耳他": "MT",
    "俄罗斯": "RU", "俄罗斯联邦": "RU", "乌克兰": "UA", "白俄罗斯": "BY", "土耳其": "TR",
    "阿联酋": "AE", "阿拉伯联合酋长国": "AE", "沙特": "SA", "沙特阿拉伯": "SA", "卡塔尔": "QA",
    "科威特": "KW", "阿曼": "OM", "巴林": "BH", "以色列": "IL", "约旦": "JO", "黎巴嫩": "LB",
    "伊朗": "IR", "伊拉克": "IQ", "埃及": "EG", "摩洛哥": "MA", "阿尔及利亚": "DZ",
    "突尼斯": "TN", "尼日利亚": "NG", "加纳": "GH", "肯尼亚": "KE", "埃塞俄比亚": "ET",
    "坦桑尼亚": "TZ", "南非": "ZA", "印度": "IN", "巴基斯坦": "PK", "孟加拉": "BD",
    "孟加拉国": "BD", "斯里兰卡": "LK", "尼泊尔": "NP", "日本": "JP", "韩国": "KR",
    "朝鲜": "KP", "中国": "CN", "中国大陆": "CN", "香港": "HK", "中国香港": "HK",
    "澳门": "MO", "中国澳门": "MO", "台湾": "TW", "中国台湾": "TW", "新加坡": "SG",
    "马来西亚": "MY", "印度尼西亚": "ID", "印尼": "ID", "泰国": "TH", "越南": "VN",
    "菲律宾": "PH", "柬埔寨": "KH", "缅甸": "MM", "老挝": "LA", "蒙古": "MN",
    "哈萨克斯坦": "KZ", "乌兹别克斯坦": "UZ", "澳大利亚": "AU", "澳洲": "AU", "新西兰": "NZ",
    "加拿大": "CA", "墨西哥": "MX", "巴西": "BR", "阿根廷": "AR", "智利": "CL",
    "哥伦比亚": "CO", "秘鲁": "PE", "委内瑞拉": "VE", "厄瓜多尔": "EC", "乌拉圭": "UY",
    "巴拉圭": "PY", "玻利维亚": "BO", "巴拿马": "PA", "哥斯达黎加": "CR", "危地马拉": "GT",
    "多米尼加": "DO", "牙买加": "JM", "古巴": "CU", "波多黎各": "PR",
}  # fmt: skip


def _country_key(text: str) -> str:
    text = fold(text).replace("&", " and ")
    text = re.sub(r"[^\w]+", " ", text).strip()
    return text


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_country_key(value), code)
                # "Korea, Republic of" → also "republic of korea"
                if "," in value:
                    head, _, tail = value.partition(",")
                    index.setdefault(_country_key(f"{tail} {head}"), code)
        index[code.lower()] = code
        index[country.alpha_3.lower()] = code
    index.update({_country_key(alias): code for alias, code in _COUNTRY_ALIASES.items()})
    return index


def country_code(text: str) -> str | None:
    """ISO 3166-1 alpha-2 for a code, an English name or variant, or a Chinese name; else None."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        return None
    if raw in _COUNTRY_ZH:
        return _COUNTRY_ZH[raw]
    key = _country_key(raw)
    if key.startswith("the ") and key not in _country_index():
        key = key[4:]
    return _country_index().get(key)
