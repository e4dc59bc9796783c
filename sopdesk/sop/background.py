"""The background check of SOP stage 2.2: what to look up about a new buyer, and where.

Right after the first reply the rep checks the company (website, web search, LinkedIn), the
platform profile (verified, buyer level, purchase history, reviews), the buyer type and the
purchasing potential. This module builds the guesses and the search links; nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

from sopdesk.sop.intake import email_domain, is_free_mail


@dataclass(frozen=True)
class SearchLink:
    id: str
    title: str
    """English source string; translate when shown."""
    url: str


def guess_website(email: str, website: str = "") -> str:
    """The company website: as recorded, else from a company e-mail domain (never gmail.com)."""
    if website.strip():
        return website.strip()
    domain = email_domain(email) if email else None
    if domain is None or is_free_mail(domain):
        return ""
    return f"https://{domain}"


def search_links(
    company: str, person: str, domain: str, country_name: str = ""
) -> list[SearchLink]:
    """Ready-made look-ups for the company, the person and the domain."""
    links: list[SearchLink] = []
    if company:
        query = f'"{company}" {country_name}'.strip()
        links.append(
            SearchLink(
                "web",
                "Web search for the company",
                "https://www.google.com/search?q=" + quote_plus(query),
            )
        )
        links.append(
            SearchLink(
                "linkedin_company",
                "LinkedIn: the company",
                "https://www.linkedin.com/search/results/companies/?keywords="
                + quote_plus(company),
            )
        )
    if person:
        keywords = f"{person} {company}".strip()
        links.append(
            SearchLink(
                "linkedin_person",
                "LinkedIn: the person",
                "https://www.linkedin.com/search/results/people/?keywords=" + quote_plus(keywords),
            )
        )
    if domain and not is_free_mail(domain):
        links.append(
            SearchLink(
                "site",
                "Everything on the company's domain",
                "https://www.google.com/search?q=" + quote_plus(f"site:{domain}"),
            )
        )
        links.append(
            SearchLink(
                "domain_mail",
                "Who else writes from this domain",
                "https://www.google.com/search?q=" + quote_plus(f'"@{domain}"'),
            )
        )
    return links


def is_complete(
    website: str, platform_profile: str, buyer_type: str, potential: str | None
) -> bool:
    """The check is complete when every part of stage 2.2 has an answer."""
    return bool(
        website.strip() and platform_profile.strip() and buyer_type != "unknown" and potential
    )
