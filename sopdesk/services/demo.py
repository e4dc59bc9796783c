"""Demo data: a plausible working day of Lily Chen, sales manager at an LED-lighting factory.

`seed(now)` fills an empty database with 44 customers in 22 countries and their whole history
(stage changes, inquiries, touches, quotations, a sample, orders), follow-ups around today, the
product catalogue, the company library, the FAQ handbook and 30 days of store data. Every time is
relative to `now`, so the demo always looks alive; the same `now` and seed give the same data.

The data tables come first, then the planning (pure: times, numbers, texts), then the writing.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

import pendulum
from peewee import fn

from sopdesk.sop.geo import infer_timezone
from sopdesk.sop.stages import (
    ActivityKind,
    BuyerType,
    Channel,
    Direction,
    Incoterm,
    LostReason,
    OrderStatus,
    Potential,
    QuoteStatus,
    Stage,
    TaskKind,
)
from sopdesk.store import search
from sopdesk.store.db import database
from sopdesk.store.models import (
    ALL_MODELS,
    Activity,
    Contact,
    Customer,
    FaqAnswer,
    Inquiry,
    Material,
    Order,
    OrderDocument,
    OrderEvent,
    PriceTier,
    Product,
    ProductMetrics,
    Quote,
    QuoteLine,
    Rep,
    Rfq,
    Sample,
    StageChange,
    StoreMetrics,
    Task,
)

DEFAULT_SEED = 20261127
COMPANY = "Ningbo Brightlight Lighting Co., Ltd."
REP_ZONE = "Asia/Shanghai"
CENT = Decimal("0.01")
EUR_PER_USD = Decimal("0.92")
INBOX_DAYS = 10
"""Every inquiry is received within this many days before `now`."""

REP: dict[str, str] = {
    "login": "demo",
    "name": "Lily Chen",
    "title": "Sales Manager",
    "email": "lily@ningbo-brightlight.example",
    "whatsapp": "+8613957432210",
    "timezone": REP_ZONE,
    "language": "en",
    "signature": (
        "Lily Chen | Sales Manager\n"
        f"{COMPANY}\n"
        "No. 88 Xingye Road, Yinzhou, Ningbo, China\n"
        "WhatsApp/WeChat: +86 139 5743 2210 | https://brightlight.example"
    ),
}


# ---------------------------------------------------------------------------------------------
# Products, company library, FAQ handbook


class ProductSeed(NamedTuple):
    sku: str
    name: str
    specs: str
    material: str
    process: str
    certifications: str
    packaging: str
    moq: int
    unit: str
    lead_time_days: int
    selling_points: str
    applications: str
    hs_code: str
    tiers: tuple[tuple[int, str], ...]
    """(minimum quantity, unit price in USD)."""


PRODUCTS: tuple[ProductSeed, ...] = (
    ProductSeed(
        sku="BL-HB150",
        name="LED UFO high bay 150W",
        specs="150W, 160 lm/W (24,000 lm), 5000K, CRI>80, beam 60°/90°/120°, IP65, "
        "AC100-277V, 1-10V dimming, PF>0.95",
        material="Die-cast aluminium housing, PC lens",
        process="SMT with Lumileds 3030 chips, 72 h aging test",
        certifications="CE, RoHS, UL, DLC 5.1",
        packaging="1 pc/inner box, 4 pcs/carton, 52x52x38 cm, 16 kg",
        moq=100,
        unit="pcs",
        lead_time_days=25,
        selling_points="Lumileds chips and Inventronics driver; DLC listed for US utility "
        "rebates; 5-year warranty; 30% lighter than fin-type high bays",
        applications="Warehouses, factories, logistics centres, gyms",
        hs_code="9405.11",
        tiers=((100, "28.50"), (500, "25.80"), (1000, "23.90")),
    ),
    ProductSeed(
        sku="BL-PN4060",
        name="LED panel light 600x600 40W",
        specs="40W, 4,000 lm, 4000K/6000K, CRI>80, UGR<19, flicker-free, back-lit, 595x595x30 mm",
        material="Aluminium frame, PS diffuser",
        process="Back-lit design, automatic lamination, 24 h aging",
        certifications="CE, RoHS, ENEC, SAA",
        packaging="1 pc/box, 4 pcs/carton, 64x64x16 cm, 11 kg",
        moq=200,
        unit="pcs",
        lead_time_days=20,
        selling_points="Back-lit, so no yellowing light guide; UGR<19 for offices; fits "
        "T-bar and recessed ceilings with the same frame",
        applications="Offices, schools, hospitals, shops",
        hs_code="9405.11",
        tiers=((200, "9.80"), (1000, "8.60"), (3000, "7.90")),
    ),
    ProductSeed(
        sku="BL-SL100",
        name="LED street light 100W",
        specs="100W, 150 lm/W, 4000K/5700K, Type II/III optics, IP66, IK08, 10 kV surge "
        "protection, AC100-277V",
        material="Die-cast aluminium ADC12, tempered glass",
        process="Powder coating, 48 h salt-spray test",
        certifications="CE, RoHS, CB, ENEC",
        packaging="1 pc/carton, 72x32x16 cm, 6.5 kg",
        moq=50,
        unit="pcs",
        lead_time_days=25,
        selling_points="10 kV surge protection; tool-free driver access; Zhaga socket for "
        "smart control",
        applications="Roads, car parks, industrial parks",
        hs_code="9405.42",
        tiers=((50, "42.00"), (200, "38.50"), (500, "35.80")),
    ),
    ProductSeed(
        sku="BL-FL200",
        name="LED flood light 200W",
        specs="200W, 140 lm/W (28,000 lm), 5000K, optics 30°/60°/90°/120°, IP66",
        material="Aluminium housing, tempered glass, 304 stainless steel bracket",
        process="Modular heat sink, 48 h aging test",
        certifications="CE, RoHS, SAA",
        packaging="1 pc/carton, 48x40x14 cm, 7.8 kg",
        moq=50,
        unit="pcs",
        lead_time_days=20,
        selling_points="Asymmetric optics for sports fields; 0-180° adjustable bracket; "
        "replaceable driver box",
        applications="Sports fields, ports, building facades, billboards",
        hs_code="9405.42",
        tiers=((50, "36.00"), (300, "32.50")),
    ),
    ProductSeed(
        sku="BL-T818",
        name="LED tube T8 18W 1200mm",
        specs="18W, 1,800 lm, 4000K/6500K, CRI>80, G13, single-end power, PF>0.9",
        material="Aluminium base with PC half cover",
        process="Automatic assembly line",
        certifications="CE, RoHS, UL",
        packaging="25 pcs/carton, 125x16x14 cm",
        moq=500,
        unit="pcs",
        lead_time_days=15,
        selling_points="Isolated driver; 2-year warranty; direct replacement for 36W "
        "fluorescent tubes",
        applications="Offices, supermarkets, car parks, retrofits",
        hs_code="8539.52",
        tiers=((500, "1.35"), (2000, "1.18"), (10000, "1.05")),
    ),
    ProductSeed(
        sku="BL-SSL60",
        name="LED solar street light 60W all-in-one",
        specs="60W LED, 100W mono panel, LiFePO4 12.8V 30Ah, 3-5 rainy days, PIR sensor, IP65",
        material="Aluminium housing",
        process="Battery pack assembled and tested in house",
        certifications="CE, RoHS, IEC 62133 (battery)",
        packaging="1 set/carton, 118x52x12 cm, 22 kg",
        moq=20,
        unit="sets",
        lead_time_days=20,
        selling_points="No trenching or cables; LiFePO4 with 2,000+ cycles; remote control "
        "and PIR for 12 h of light",
        applications="Rural roads, villages, parking lots, off-grid projects",
        hs_code="9405.41",
        tiers=((20, "68.00"), (100, "59.00"), (500, "53.50")),
    ),
    ProductSeed(
        sku="BL-ST5050",
        name="LED strip 5050 12V 60 LEDs/m",
        specs="5050 SMD, 60 LEDs/m, 14.4 W/m, 12V DC, 5 m/reel, IP20 or IP65 silicone, "
        "RGB or white",
        material="2 oz copper FPC",
        process="Automatic SMT, 3M adhesive tape",
        certifications="CE, RoHS",
        packaging="5 m/reel in anti-static bag, 100 reels/carton",
        moq=100,
        unit="reels",
        lead_time_days=10,
        selling_points="Pure copper FPC; even colour bins; custom lengths and labels",
        applications="Shops, hotels, cove lighting, signage",
        hs_code="9405.42",
        tiers=((100, "3.20"), (1000, "2.65")),
    ),
    ProductSeed(
        sku="BL-LT40",
        name="LED linear trunking light 40W",
        specs="40W, 1.5 m, 5,600 lm, 140 lm/W, 4000K, beam 30°/60°/90°, IP40, "
        "plug-and-play wiring, DALI option",
        material="Aluminium extrusion, PC diffuser",
        process="Pre-wired 7-pole trunking rail, 24 h aging",
        certifications="CE, RoHS, ENEC, DALI-2",
        packaging="10 modules/carton; rails packed separately",
        moq=100,
        unit="pcs",
        lead_time_days=25,
        selling_points="Tool-free click-in modules; one rail for several beam angles; "
        "emergency kit option",
        applications="Supermarkets, warehouses, factories, car parks",
        hs_code="9405.11",
        tiers=((100, "14.50"), (500, "12.80")),
    ),
)

QUANTITIES: dict[str, tuple[int, ...]] = {
    "BL-HB150": (200, 300, 500, 800, 1000),
    "BL-PN4060": (500, 1000, 2000, 3000),
    "BL-SL100": (100, 200, 300, 500),
    "BL-FL200": (50, 100, 200, 400),
    "BL-T818": (2000, 5000, 10000),
    "BL-SSL60": (50, 100, 200, 300),
    "BL-ST5050": (200, 500, 1000),
    "BL-LT40": (200, 400, 600),
}

# kind, title, link, valid for (days from now; None: no expiry)
MATERIALS: tuple[tuple[str, str, str, int | None], ...] = (
    ("intro", "Company introduction (PDF, 12 pages)", "https://brightlight.example/intro.pdf", None),
    ("video", "Factory video: SMT line, aging room, packing (3 min)",
     "https://brightlight.example/factory-tour.mp4", None),
    ("certificate", "ISO 9001:2015 certificate (TÜV)",
     "https://brightlight.example/certs/iso9001.pdf", 420),
    ("certificate", "UL certificate E512345 (high bay, T8 tube)",
     "https://brightlight.example/certs/ul-e512345.pdf", 38),
    ("test_report", "CE test report LVD/EMC, LED high bay 150W (SGS)",
     "https://brightlight.example/reports/ce-hb150.pdf", None),
    ("case", "Success case: 1,200 high bays for a Houston logistics centre",
     "https://brightlight.example/cases/houston-warehouse.pdf", None),
    ("case", "Success case: 600 solar street lights for villages in Ogun State, Nigeria",
     "https://brightlight.example/cases/ogun-solar.pdf", None),
)  # fmt: skip

# topic, question, answer, language
FAQS: tuple[tuple[str, str, str, str], ...] = (
    ("price", "Can you give a better price?",
     "Our price includes Lumileds chips, an Inventronics driver and a 72-hour aging test on "
     "every light. For larger quantities or a higher deposit we can offer a better tier; tell "
     "me your target quantity and I'll check what is possible.", "en"),
    ("moq", "What is your MOQ?",
     "Standard MOQ is 100 pcs for high bays and linear lights, 200 pcs for panels, 500 pcs for "
     "tubes. For a first trial order we accept mixed models in one carton.", "en"),
    ("lead_time", "What is your lead time?",
     "Samples ship in 3-5 days. Mass production takes 15-25 days after the deposit, depending "
     "on the model and quantity; we send photos every week.", "en"),
    ("quality", "How do you control quality?",
     "Incoming inspection of chips and drivers, 100% aging test for 72 hours, and final "
     "inspection to AQL 2.5. Third-party inspection (SGS, BV, your QC) is welcome.", "en"),
    ("payment", "What are your payment terms?",
     "T/T 30% deposit, 70% against the copy of the B/L. For established customers we also "
     "accept L/C at sight.", "en"),
    ("sample", "Can I get a free sample?",
     "Yes: samples are free, the courier freight is paid by you (DHL/FedEx account or prepaid). "
     "Paid samples are refunded with the first order.", "en"),
    ("certification", "Which certificates do you have?",
     "ISO 9001 for the factory; CE and RoHS for all products; UL and DLC for high bays; ENEC "
     "for panels and linear lights; SAA for Australia. Test reports are available on request.",
     "en"),
    ("payment", "¿Cuáles son las condiciones de pago?",
     "T/T 30% de anticipo y 70% contra copia del B/L. Para clientes habituales aceptamos "
     "carta de crédito a la vista.", "es"),
    ("sample", "¿Pueden enviar muestras gratis?",
     "Sí, las muestras son gratis; el flete del courier lo paga el cliente.", "es"),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Customers


class CustomerSeed(NamedTuple):
    company: str
    person: str
    role: str
    email: str
    phone: str
    country: str
    zone: str
    """"" infers it from the country (only for single-zone countries)."""
    lang: str
    port: str
    source: str
    buyer: str
    potential: str
    stage: str
    first: int
    """First contact, days before now."""
    since: int
    """In the current stage since, days before now."""
    value: str
    currency: str
    skus: str
    notes: str
    peak: str = ""
    """Lost and dormant customers: the highest funnel stage they reached."""
    lost: str = ""


# fmt: off
CUSTOMERS: tuple[CustomerSeed, ...] = (
    # company, person, role, e-mail, phone, country, zone, language, destination port,
    # source, buyer type, potential, stage, first contact and stage since (days ago),
    # expected value, currency, products, notes [, highest stage reached, lost reason]
    # ---- leads
    CustomerSeed(
        "Nguyen Phat Electrical Co., Ltd", "Tran Van Minh", "Purchasing Manager",
        "minh.tran@nguyenphat-elec.vn", "+842838124567", "VN", "", "en",
        "Ho Chi Minh City (Cat Lai)", "trademanager", "trader", "B", "lead", 0, 0, "", "USD",
        "BL-HB150 BL-FL200", "Supplies factories in the Binh Duong industrial parks.",
    ),
    CustomerSeed(
        "拉各斯华兴建材贸易有限公司", "Wang Jianguo", "General Manager",
        "wangjianguo88@qq.com", "+2348031234567", "NG", "", "zh", "Lagos (Apapa)",
        "site_inquiry", "trader", "B", "lead", 0, 0, "", "USD", "BL-SSL60 BL-HB150",
        "Chinese-owned building-materials trader in Lagos; prefers WeChat.",
    ),
    CustomerSeed(
        "Al Noor Electromechanical LLC", "Khalid Rahman", "Procurement Engineer",
        "khalid.rahman@alnoor-em.ae", "+97143345678", "AE", "", "en", "Jebel Ali",
        "site_inquiry", "end_user", "A", "lead", 0, 0, "", "USD", "BL-FL200 BL-SL100",
        "MEP contractor; tender for a logistics park in Dubai South.",
    ),
    CustomerSeed(
        "Iluminación Andina SpA", "Camila Rojas", "Gerente de Compras",
        "crojas@iluminacionandina.cl", "+56223456789", "CL", "America/Santiago", "es",
        "San Antonio", "rfq", "distributor", "B", "lead", 0, 0, "", "USD",
        "BL-PN4060 BL-LT40", "Posted an RFQ for office panels; distributor in Santiago.",
    ),
    CustomerSeed(
        "Brightway Electric Supply Inc.", "Jason Miller", "Purchasing Manager",
        "jmiller@brightwayelectric.com", "+13125550187", "US", "America/Chicago", "en",
        "Los Angeles / Long Beach", "site_inquiry", "wholesaler", "A", "lead", 0, 0,
        "60000", "USD", "BL-HB150 BL-LT40",
        "Electrical wholesaler with six branches in Illinois; needs the DLC listing.",
    ),
    CustomerSeed(
        "Northlight Electrical Wholesale Ltd", "Tom Hughes", "Buyer",
        "t.hughes@northlight-ew.co.uk", "+441614960123", "GB", "", "en", "Felixstowe",
        "site_inquiry", "wholesaler", "B", "lead", 1, 1, "", "USD", "BL-PN4060 BL-T818",
        "Manchester wholesaler; compares three Chinese suppliers.",
    ),
    CustomerSeed(
        "Shree Ganesh Lighting Traders", "Rahul Sharma", "Proprietor",
        "rahul.sgl@gmail.com", "+919820012345", "IN", "", "en", "Nhava Sheva",
        "trademanager", "trader", "C", "lead", 1, 1, "", "USD", "BL-T818 BL-PN4060",
        "Small trader in Mumbai; very price-driven.",
    ),
    CustomerSeed(
        "Constructora Del Valle", "Alejandro Hernández", "Jefe de Proyectos",
        "ale.hernandez.dv@hotmail.com", "+528112345678", "MX", "America/Monterrey", "es",
        "Manzanillo", "whatsapp", "end_user", "B", "lead", 2, 2, "", "USD",
        "BL-SL100 BL-SSL60", "Builds housing estates near Monterrey; street lighting.",
    ),
    CustomerSeed(
        "Lumière Pro Distribution SARL", "Julien Moreau", "Responsable Achats",
        "j.moreau@lumierepro.fr", "+33145678901", "FR", "", "fr", "Le Havre",
        "site_inquiry", "distributor", "B", "lead", 3, 3, "", "EUR",
        "BL-PN4060 BL-LT40", "Distributor in Ile-de-France; ENEC is a must.",
    ),
    CustomerSeed(
        "Elektro Schäfer GmbH", "Markus Schäfer", "Geschäftsführer",
        "m.schaefer@elektro-schaefer.de", "+492111234567", "DE", "", "de", "Hamburg",
        "email", "end_user", "C", "lead", 4, 4, "", "EUR", "BL-FL200 BL-HB150",
        "Electrical installer in Düsseldorf; project for a sports hall.",
    ),
    CustomerSeed(
        "Sunvolt Solar (Pty) Ltd", "Thabo Nkosi", "Projects Director",
        "thabo@sunvolt.co.za", "+27215551234", "ZA", "", "en", "Durban",
        "rfq", "distributor", "A", "lead", 5, 5, "45000", "USD", "BL-SSL60 BL-SL100",
        "Solar EPC; municipal tenders in KwaZulu-Natal.",
    ),
    CustomerSeed(
        "Lumen Hurt Sp. z o.o.", "Piotr Kowalski", "Kierownik Zakupów",
        "p.kowalski@lumenhurt.pl", "+48221234567", "PL", "", "en", "Gdańsk",
        "site_inquiry", "wholesaler", "B", "lead", 6, 6, "", "EUR", "BL-PN4060 BL-T818",
        "Wholesaler in Warsaw with its own brand.",
    ),
    CustomerSeed(
        "Al Rashid Trading Est.", "Abdullah Al-Qahtani", "Owner",
        "a.alqahtani@alrashid-trading.com.sa", "+966112345678", "SA", "", "ar", "Dammam",
        "site_inquiry", "trader", "B", "lead", 7, 7, "", "USD", "BL-FL200 BL-SL100",
        "Trader in Riyadh; SASO certificate needed.",
    ),
    CustomerSeed(
        "Nairobi Lighting Centre Ltd", "Brian Otieno", "Director",
        "brian@nairobilighting.co.ke", "+254202345678", "KE", "", "en", "Mombasa",
        "trademanager", "retailer", "C", "lead", 8, 8, "", "USD", "BL-ST5050 BL-PN4060",
        "Lighting shop in Nairobi CBD.",
    ),
    CustomerSeed(
        "Pacific Coast Warehousing Inc.", "Sarah Kim", "Facilities Manager",
        "skim@pacificcoastwh.com", "+13105550142", "US", "America/Los_Angeles", "en",
        "Long Beach", "email", "end_user", "A", "lead", 9, 9, "38000", "USD", "BL-HB150",
        "Three warehouses in the Inland Empire; retrofit of 1,000 metal-halide fixtures.",
    ),
    # ---- intent
    CustomerSeed(
        "Lone Star Lighting Distributors LLC", "Robert Garcia", "Purchasing Director",
        "rgarcia@lonestarlighting.com", "+17135550198", "US", "America/Chicago", "en",
        "Houston", "site_inquiry", "distributor", "A", "intent", 5, 3, "85000", "USD",
        "BL-HB150 BL-FL200", "Distributor in Houston; needs DLC and UL for utility rebates.",
    ),
    CustomerSeed(
        "LichtWerk Handels GmbH", "Anna Becker", "Einkauf",
        "a.becker@lichtwerk-handel.de", "+494012345678", "DE", "", "de", "Hamburg",
        "rfq", "trader", "B", "intent", 8, 6, "30000", "EUR", "BL-PN4060 BL-LT40",
        "Importer for installers in northern Germany.",
    ),
    CustomerSeed(
        "Elettroforniture Rossi S.r.l.", "Marco Rossi", "Titolare",
        "marco.rossi@elettroforniture-rossi.it", "+390212345678", "IT", "", "en", "Genoa",
        "trademanager", "wholesaler", "B", "intent", 9, 7, "22000", "EUR",
        "BL-T818 BL-PN4060", "Family wholesaler in Milan; pays on time, negotiates hard.",
    ),
    CustomerSeed(
        "Luminar Distribuidora Ltda", "Fernanda Souza", "Compradora",
        "fernanda.souza@luminardistribuidora.com.br", "+551134567890", "BR",
        "America/Sao_Paulo", "pt", "Santos", "site_inquiry", "distributor", "A", "intent",
        12, 10, "70000", "USD", "BL-SL100 BL-FL200",
        "Distributor in São Paulo; needs INMETRO, we must check with the lab.",
    ),
    CustomerSeed(
        "Outback Electrical Wholesale Pty Ltd", "Daniel Wilson", "Category Manager",
        "dwilson@outbackelectrical.com.au", "+61298765432", "AU", "Australia/Sydney", "en",
        "Sydney", "email", "wholesaler", "B", "intent", 15, 13, "40000", "USD",
        "BL-LT40 BL-HB150", "Twelve branches in NSW; SAA and RCM compliance required.",
    ),
    CustomerSeed(
        "Işık Aydınlatma A.Ş.", "Emre Yılmaz", "Satın Alma Müdürü",
        "emre.yilmaz@isikaydinlatma.com.tr", "+902123456789", "TR", "", "en",
        "Istanbul (Ambarlı)", "trademanager", "trader", "B", "intent", 18, 15, "25000",
        "USD", "BL-FL200 BL-SL100", "Trader supplying municipalities in Marmara.",
    ),
    CustomerSeed(
        "OOO Svetotekhnika Plus", "Dmitry Volkov", "Purchasing Manager",
        "d.volkov@svetoplus.ru", "+74951234567", "RU", "Europe/Moscow", "ru",
        "St. Petersburg", "site_inquiry", "wholesaler", "B", "intent", 20, 17, "35000", "USD",
        "BL-HB150 BL-PN4060", "Wholesaler in Moscow; needs EAC; pays through a bank in HK.",
    ),
    CustomerSeed(
        "Electro Levante S.L.", "Javier Martínez", "Director Comercial",
        "jmartinez@electrolevante.es", "+34961234567", "ES", "Europe/Madrid", "es", "Valencia",
        "site_inquiry", "distributor", "B", "intent", 22, 19, "28000", "EUR",
        "BL-PN4060 BL-LT40", "Distributor in Valencia region.",
    ),
    CustomerSeed(
        "Bharat Infra Projects Pvt. Ltd.", "Priya Nair", "Head of Procurement",
        "priya.nair@bharatinfra.in", "+912240123456", "IN", "", "en", "Nhava Sheva (JNPT)",
        "rfq", "end_user", "A", "intent", 26, 21, "120000", "USD", "BL-SL100 BL-SSL60",
        "Highway EPC contractor; tender for 42 km of road lighting in Maharashtra.",
    ),
    CustomerSeed(
        "Kobayashi Shoji K.K.", "Hiroshi Tanaka", "Import Section Manager",
        "h.tanaka@kobayashi-shoji.co.jp", "+81312345678", "JP", "", "en", "Yokohama",
        "email", "trader", "C", "intent", 30, 27, "15000", "USD", "BL-T818 BL-PN4060",
        "Trading house; asks for PSE and very detailed inspection criteria.",
    ),
    # ---- negotiation
    CustomerSeed(
        "Summit Facility Solutions LLC", "David Cohen", "VP Operations",
        "dcohen@summitfacility.com", "+12125550176", "US", "America/New_York", "en",
        "New York / New Jersey", "site_inquiry", "end_user", "A", "negotiation", 34, 9,
        "95000", "USD", "BL-HB150 BL-LT40",
        "Facility manager for 14 distribution centres on the East Coast.",
    ),
    CustomerSeed(
        "Brightstone Lighting Ltd", "Emma Clarke", "Purchasing Manager",
        "emma.clarke@brightstonelighting.co.uk", "+442079460321", "GB", "", "en", "Felixstowe",
        "trademanager", "distributor", "A", "negotiation", 40, 10, "68000", "USD",
        "BL-PN4060 BL-T818", "Distributor in London; testing our panel sample.",
    ),
    CustomerSeed(
        "Riyadh Modern Contracting Co.", "Faisal Al-Otaibi", "Projects Manager",
        "f.alotaibi@rmc-contracting.com.sa", "+966114567890", "SA", "", "ar", "Dammam",
        "site_inquiry", "end_user", "A", "negotiation", 45, 12, "150000", "USD",
        "BL-SL100 BL-FL200", "Road contractor; project for the Riyadh ring road extension.",
    ),
    CustomerSeed(
        "Eclairage Services Maintenance", "Claire Dubois", "Acheteuse",
        "c.dubois@esm-eclairage.fr", "+33472123456", "FR", "", "fr", "Marseille-Fos",
        "email", "end_user", "B", "negotiation", 28, 6, "32000", "EUR",
        "BL-HB150 BL-FL200", "Maintenance company in Lyon; retrofits for logistics sites.",
    ),
    CustomerSeed(
        "Holland Lichttechniek B.V.", "Pieter de Vries", "Inkoper",
        "p.devries@hollandlicht.nl", "+31101234567", "NL", "", "en", "Rotterdam",
        "site_inquiry", "wholesaler", "B", "negotiation", 52, 14, "45000", "EUR",
        "BL-LT40 BL-PN4060", "Wholesaler in Rotterdam; wants DALI-2 on the trunking.",
    ),
    CustomerSeed(
        "Sunshine Coast Solar Pty Ltd", "Liam O'Brien", "Owner",
        "liam@sunshinecoastsolar.com.au", "+61754123456", "AU", "Australia/Brisbane", "en",
        "Brisbane", "whatsapp", "retailer", "C", "negotiation", 25, 4, "12000", "USD",
        "BL-SSL60 BL-ST5050", "Small solar shop; orders by WhatsApp.",
    ),
    # ---- order
    CustomerSeed(
        "Great Lakes Electrical Supply Co.", "Kevin O'Connor", "Purchasing Manager",
        "kevin.oconnor@greatlakeselectrical.com", "+13135550164", "US", "America/Detroit",
        "en", "New York", "site_inquiry", "distributor", "A", "order", 62, 12, "41000", "USD",
        "BL-HB150 BL-LT40", "Distributor in Michigan; first order, wants weekly photos.",
    ),
    CustomerSeed(
        "Müller Lichttechnik GmbH", "Stefan Müller", "Einkaufsleiter",
        "s.mueller@mueller-lichttechnik.de", "+498912345678", "DE", "", "de", "Hamburg",
        "email", "wholesaler", "A", "order", 75, 20, "38000", "EUR", "BL-PN4060 BL-LT40",
        "Wholesaler in Munich; asked for a third-party inspection by SGS.",
    ),
    CustomerSeed(
        "Eletro Norte Comércio de Materiais Elétricos Ltda", "Rafael Oliveira",
        "Gerente de Compras", "rafael@eletronorte.com.br", "+559132224567", "BR",
        "America/Belem", "pt", "Vila do Conde (Belém)", "trademanager", "wholesaler", "B",
        "order", 70, 31, "27000", "USD", "BL-SL100 BL-FL200",
        "Wholesaler in Belém; inspection passed, waiting for the vessel booking.",
    ),
    CustomerSeed(
        "Gulf Star Lighting Trading LLC", "Imran Siddiqui", "Purchase Manager",
        "imran@gulfstarlighting.ae", "+97142567890", "AE", "", "en", "Jebel Ali",
        "site_inquiry", "trader", "A", "order", 90, 45, "48000", "USD",
        "BL-FL200 BL-SL100 BL-HB150", "Re-exports to Oman and Qatar; container on the water.",
    ),
    # ---- loyal
    CustomerSeed(
        "Distribuciones Eléctricas Ibérica S.A.", "Lucía Fernández", "Jefa de Compras",
        "lucia.fernandez@dei-iberica.es", "+34911234567", "ES", "Europe/Madrid", "es",
        "Valencia", "site_inquiry", "distributor", "A", "loyal", 620, 250, "60000", "EUR",
        "BL-PN4060 BL-LT40 BL-T818", "Orders twice a year; always asks for Spanish labels.",
    ),
    CustomerSeed(
        "Britannia Electrical Wholesale Ltd", "James Walker", "Managing Director",
        "james.walker@britanniaelectrical.co.uk", "+441214960832", "GB", "", "en",
        "Southampton", "other", "wholesaler", "A", "loyal", 700, 300, "90000", "USD",
        "BL-HB150 BL-FL200 BL-PN4060", "Met at the Canton Fair; our biggest UK account.",
    ),
    CustomerSeed(
        "Aussie Sparky Supplies Pty Ltd", "Mark Thompson", "Purchasing Officer",
        "mark@aussiesparky.com.au", "+61391234567", "AU", "Australia/Melbourne", "en",
        "Melbourne", "trademanager", "wholesaler", "B", "loyal", 420, 150, "30000", "USD",
        "BL-T818 BL-PN4060 BL-ST5050", "Sells to electricians in Victoria; reorders tubes.",
    ),
    CustomerSeed(
        "Zenith Power & Lighting Ltd", "Chinedu Okafor", "CEO",
        "chinedu@zenithpowerng.com", "+2348051234567", "NG", "", "en", "Lagos (Apapa)",
        "whatsapp", "distributor", "A", "loyal", 480, 110, "55000", "USD",
        "BL-SSL60 BL-SL100", "Solar lighting for state governments; success case Ogun.",
    ),
    # ---- lost
    CustomerSeed(
        "Luce Italia Forniture S.p.A.", "Giulia Bianchi", "Buyer",
        "g.bianchi@luceitalia-forniture.it", "+390612345678", "IT", "", "en", "Genoa",
        "site_inquiry", "wholesaler", "B", "lost", 110, 60, "26000", "EUR", "BL-PN4060",
        "Chose a cheaper panel without ENEC.", "negotiation", "price",
    ),
    CustomerSeed(
        "Iluminación Industrial del Norte S.A. de C.V.", "Luis Ramírez",
        "Gerente de Compras", "lramirez@iluminorte.com.mx", "+528181234567", "MX",
        "America/Monterrey", "es", "Manzanillo", "rfq", "distributor", "B", "lost", 90, 50,
        "20000", "USD", "BL-HB150 BL-FL200",
        "Bought from a competitor with stock in Mexico.", "intent", "competitor",
    ),
    CustomerSeed(
        "Metro Electricals", "Vikram Patel", "Partner",
        "metroelectricals.vikram@gmail.com", "+919820012346", "IN", "", "en", "Mundra",
        "trademanager", "retailer", "C", "lost", 75, 40, "", "USD", "BL-T818",
        "Never answered after the first reply.", "lead", "no_response",
    ),
    # ---- dormant
    CustomerSeed(
        "TD Svet-Import LLC", "Sergey Ivanov", "Director",
        "s.ivanov@svet-import.ru", "+78121234567", "RU", "Europe/Moscow", "ru",
        "St. Petersburg", "site_inquiry", "trader", "B", "dormant", 300, 150, "30000", "USD",
        "BL-HB150 BL-FL200", "Went quiet after asking for EAC; wrote again yesterday.",
        "intent",
    ),
    CustomerSeed(
        "Cape Electrical Distributors (Pty) Ltd", "Pieter van der Merwe", "Buyer",
        "pieter@capeelectrical.co.za", "+27214567890", "ZA", "", "en", "Cape Town",
        "trademanager", "distributor", "B", "dormant", 260, 120, "35000", "USD",
        "BL-FL200 BL-HB150", "Project postponed; budget expected next year.", "negotiation",
    ),
)
# fmt: on

SECOND_CONTACTS: dict[str, tuple[str, str, str, str]] = {
    # company: (name, role, e-mail, phone)
    "Summit Facility Solutions LLC": (
        "Rachel Adams", "Facilities Engineer", "radams@summitfacility.com", "+12125550111",
    ),
    "Brightstone Lighting Ltd": (
        "Oliver Bennett", "Technical Manager", "oliver.bennett@brightstonelighting.co.uk",
        "+442079460322",
    ),
    "Riyadh Modern Contracting Co.": (
        "Omar Haddad", "Site Engineer", "o.haddad@rmc-contracting.com.sa", "+966114567891",
    ),
    "Great Lakes Electrical Supply Co.": (
        "Linda Brooks", "Accounts Payable", "ap@greatlakeselectrical.com", "+13135550165",
    ),
    "Müller Lichttechnik GmbH": (
        "Julia Wagner", "Logistik", "j.wagner@mueller-lichttechnik.de", "+498912345679",
    ),
    "Gulf Star Lighting Trading LLC": (
        "Ahmed Hassan", "Logistics Coordinator", "ahmed@gulfstarlighting.ae", "+97142567891",
    ),
    "Distribuciones Eléctricas Ibérica S.A.": (
        "Pablo Gómez", "Logística", "pablo.gomez@dei-iberica.es", "+34911234568",
    ),
    "Britannia Electrical Wholesale Ltd": (
        "Sophie Evans", "Product Manager", "sophie.evans@britanniaelectrical.co.uk",
        "+441214960833",
    ),
    "Zenith Power & Lighting Ltd": (
        "Ngozi Adeyemi", "Accounts", "accounts@zenithpowerng.com", "+2348061112233",
    ),
    "Luminar Distribuidora Ltda": (
        "Bruno Lima", "Engenheiro", "bruno.lima@luminardistribuidora.com.br", "+551134567891",
    ),
}  # fmt: skip

UNANSWERED: dict[str, int] = {
    # company: minutes since the still unanswered inquiry arrived
    "Nguyen Phat Electrical Co., Ltd": 2,
    "拉各斯华兴建材贸易有限公司": 4,
    "Britannia Electrical Wholesale Ltd": 12,
    "Al Noor Electromechanical LLC": 38,
    "Riyadh Modern Contracting Co.": 85,
    "Iluminación Andina SpA": 340,
    "TD Svet-Import LLC": 1140,
}

NO_BACKGROUND_CHECK = ("Kobayashi Shoji K.K.", "Sunshine Coast Solar Pty Ltd", "Metro Electricals")
FREE_MAIL = ("gmail.com", "hotmail.com", "qq.com", "yahoo.com", "outlook.com", "163.com")
WHATSAPP_COUNTRIES = ("AE", "BR", "CL", "ES", "IN", "KE", "MX", "NG", "SA", "TR", "ZA", "IT")
FIRST_NAMES: dict[str, str] = {"Tran Van Minh": "Minh", "Wang Jianguo": "Mr. Wang"}
COUNTRY_NAMES: dict[str, str] = {
    "AE": "the UAE", "AU": "Australia", "BR": "Brazil", "CL": "Chile", "DE": "Germany",
    "ES": "Spain", "FR": "France", "GB": "the UK", "IN": "India", "IT": "Italy", "JP": "Japan",
    "KE": "Kenya", "MX": "Mexico", "NG": "Nigeria", "NL": "the Netherlands", "PL": "Poland",
    "RU": "Russia", "SA": "Saudi Arabia", "TR": "Turkey", "US": "the USA", "VN": "Vietnam",
    "ZA": "South Africa",
}  # fmt: skip
TRANSIT_DAYS: dict[str, int] = {"AE": 20, "AU": 16, "BR": 35, "DE": 30, "ES": 28, "GB": 32}
VESSELS: tuple[tuple[str, str], ...] = (
    ("COSCO SHIPPING LEO 058W", "COSU"),
    ("MSC AURORA 2347W", "MEDU"),
    ("ONE HARMONY 032W", "ONEY"),
    ("CMA CGM TAGE 0FL3KW", "CMDU"),
    ("HMM OSLO 0019W", "HDMU"),
)

# ---------------------------------------------------------------------------------------------
# Quotations and orders


class QuoteSeed(NamedTuple):
    company: str
    status: str
    lines: tuple[tuple[str, int], ...]
    incoterm: str
    days: int = 0
    """sent (or, for drafts, created) this many days before now; accepted and expired
    quotations are dated from the customer's history instead."""


QUOTES: tuple[QuoteSeed, ...] = (
    QuoteSeed("Summit Facility Solutions LLC", "sent", (("BL-HB150", 600), ("BL-LT40", 400)),
              "FOB", 2),
    QuoteSeed("Brightstone Lighting Ltd", "sent", (("BL-PN4060", 2000), ("BL-T818", 5000)),
              "CIF", 6),
    QuoteSeed("Distribuciones Eléctricas Ibérica S.A.", "draft",
              (("BL-PN4060", 4000), ("BL-LT40", 600)), "FOB", 1),
    QuoteSeed("Great Lakes Electrical Supply Co.", "accepted",
              (("BL-HB150", 1000), ("BL-LT40", 500)), "FOB"),
    QuoteSeed("Müller Lichttechnik GmbH", "accepted", (("BL-PN4060", 3000), ("BL-LT40", 800)),
              "FOB"),
    QuoteSeed("Luce Italia Forniture S.p.A.", "expired", (("BL-PN4060", 2000),), "CIF"),
)  # fmt: skip


class OrderSeed(NamedTuple):
    company: str
    milestone: str
    """The stage whose change is this order's deposit: "order" (first) or "loyal" (repeat)."""
    status: str
    lines: tuple[tuple[str, int], ...]
    """Empty: the lines of the customer's accepted quotation."""


ORDERS: tuple[OrderSeed, ...] = (
    OrderSeed("Great Lakes Electrical Supply Co.", "order", "in_production", ()),
    OrderSeed("Müller Lichttechnik GmbH", "order", "in_production", ()),
    OrderSeed("Eletro Norte Comércio de Materiais Elétricos Ltda", "order", "inspected",
              (("BL-SL100", 400), ("BL-FL200", 300))),
    OrderSeed("Gulf Star Lighting Trading LLC", "order", "shipped",
              (("BL-FL200", 600), ("BL-SL100", 500), ("BL-HB150", 300))),
    OrderSeed("Distribuciones Eléctricas Ibérica S.A.", "order", "completed",
              (("BL-PN4060", 3000), ("BL-LT40", 500))),
    OrderSeed("Distribuciones Eléctricas Ibérica S.A.", "loyal", "completed",
              (("BL-PN4060", 5000), ("BL-T818", 10000))),
    OrderSeed("Britannia Electrical Wholesale Ltd", "order", "completed",
              (("BL-HB150", 800), ("BL-FL200", 200))),
    OrderSeed("Britannia Electrical Wholesale Ltd", "loyal", "completed",
              (("BL-HB150", 1200), ("BL-PN4060", 1500))),
    OrderSeed("Aussie Sparky Supplies Pty Ltd", "order", "completed",
              (("BL-T818", 10000), ("BL-PN4060", 1000))),
    OrderSeed("Aussie Sparky Supplies Pty Ltd", "loyal", "completed",
              (("BL-T818", 20000), ("BL-ST5050", 1000))),
    OrderSeed("Zenith Power & Lighting Ltd", "order", "completed", (("BL-SSL60", 300),)),
    OrderSeed("Zenith Power & Lighting Ltd", "loyal", "completed",
              (("BL-SSL60", 600), ("BL-SL100", 200))),
)  # fmt: skip

SAMPLE_FOR = "Brightstone Lighting Ltd"
PAYMENT_TERMS = "T/T 30% deposit, 70% against B/L copy"
SEQ_DAYS = 4
"""The factory issues about one PI (and one order) every 4 days: a year's first number of ours
is about day-of-year / 4, and colleagues' numbers fall between ours."""

# ---------------------------------------------------------------------------------------------
# Message texts. Placeholders come from `_Builder.ctx`; a buyer writes in their language.

FIRST_INQUIRY: dict[str, tuple[str, str]] = {
    "site": (
        "Inquiry about {product}",
        "Hello,\n\nI am {person} from {company}. We are interested in your {product}. Please "
        "send us your best price for {qty} {unit}, CIF {port}, with the datasheet and the "
        "warranty terms. Do you have CE and RoHS certificates?\n\nRegards,\n{person}\n"
        "{role}, {company}",
    ),
    "site2": (
        "Quotation request: {product}",
        "Hi,\n\nWe have a new project and need {qty} {unit} of {product}. Please quote FOB "
        "Ningbo and CIF {port}. What are your MOQ and lead time? Can you print our logo?\n\n"
        "Thanks,\n{first}\n{company}",
    ),
    "tm": (
        "TradeManager: {product}",
        "hi, price for {product}? we need {qty} {unit}. you are factory or trading company?",
    ),
    "rfq": (
        "RFQ: {qty} {unit} {product}",
        "RFQ: {product}\nQuantity: {qty} {unit}\nDestination: {port}\nTrade terms: CIF\n"
        "Requirements: CE, RoHS, 5 years warranty, 5000K\n"
        "Please quote with the datasheet and the lead time.\n{person}, {company}",
    ),
    "email": (
        "Supplier enquiry - {product}",
        "Dear Brightlight team,\n\nWe found your company on Alibaba.com. We are looking for a "
        "reliable supplier of {product} for our customers in {country}. Estimated quantity: "
        "{qty} {unit} for the first order, destination {port}. Please send your catalogue and "
        "price list.\n\nBest regards,\n{person}\n{role}, {company}",
    ),
    "whatsapp": (
        "WhatsApp: {product}",
        "Hi Lily, I got your number from Alibaba. Need {product}, {qty} {unit} to {port}. "
        "What is your best price? {first}",
    ),
    "es": (
        "Cotización {product}",
        "Buenos días:\n\nSomos {company}. Estamos interesados en {product}. Necesitamos "
        "cotización por {qty} {unit}, CIF {port}. ¿Cuál es el plazo de entrega y tienen "
        "certificado CE?\n\nSaludos cordiales,\n{person}\n{role}",
    ),
    "es_whatsapp": (
        "WhatsApp: {product}",
        "Hola, buenas tardes. Me interesa {product}, ¿precio para {qty} {unit} puesto en "
        "{port}? Gracias. {first}",
    ),
    "pt": (
        "Cotação {product}",
        "Olá,\n\nSomos a {company}. Gostaríamos de receber uma cotação para {qty} {unit} de "
        "{product}, CIF {port}. Vocês têm certificação INMETRO? Qual o prazo de produção?\n\n"
        "Atenciosamente,\n{person}\n{role}",
    ),
    "fr": (
        "Demande de prix : {product}",
        "Bonjour,\n\nNous sommes {company}. Pourriez-vous nous envoyer votre meilleur prix pour "
        "{qty} {unit} de {product}, CIF {port} ? Merci de joindre la fiche technique et les "
        "certificats CE/RoHS.\n\nCordialement,\n{person}\n{role}",
    ),
    "de": (
        "Anfrage {product}",
        "Sehr geehrte Damen und Herren,\n\nwir interessieren uns für Ihr Produkt {product}. "
        "Bitte senden Sie uns ein Angebot über {qty} {unit}, CIF {port}, mit Datenblatt, "
        "CE-Konformitätserklärung und Lieferzeit.\n\nMit freundlichen Grüßen\n{person}\n"
        "{company}",
    ),
    "ru": (
        "Запрос цены: {product}",
        "Здравствуйте!\n\nНас интересует {product}. Просим прислать цену на {qty} {unit} с "
        "доставкой до порта {port} (CIF), а также срок изготовления и сертификаты (CE, EAC)."
        "\n\nС уважением,\n{person}\n{company}",
    ),
    "ar": (
        "طلب عرض سعر: {product}",
        "السلام عليكم،\n\nنحن {company} ونرغب في الحصول على عرض سعر لعدد {qty} {unit} من "
        "{product} مع الشحن إلى ميناء {port}. يرجى إرسال الكتالوج وشهادات الجودة ومدة "
        "التسليم.\n\nمع التحية،\n{person}",
    ),
    "zh": (
        "询价：{product}",
        "您好！我们是{company}，在尼日利亚拉各斯做工程。需要{product} {qty} {unit}，请报CIF "
        "{port}的价格，交货期多久？方便的话加微信详谈。\n{person}",
    ),
}

REOPEN: dict[str, tuple[str, str]] = {
    "project": (
        "New project: {product}",
        "Hi Lily,\n\nWe have a new project: {qty} {unit} of {product}. Can you quote CIF {port} "
        "and confirm the lead time? The tender closes next week.\n\nThanks,\n{first}",
    ),
    "reorder": (
        "Reorder {product}",
        "Hi Lily,\n\nOur stock of the {product} is running low. Please send a PI for {qty} "
        "{unit}, same specs and packing as the last order. Can you ship within 30 days?\n\n"
        "Best regards,\n{first}",
    ),
    "question": (
        "Re: {product} - logo and warranty",
        "Lily, one more question about the {product}: can you print our logo on the housing "
        "and the carton? And is a 5-year warranty possible for {qty} {unit}?\n{first}",
    ),
    "tm": (
        "TradeManager: {product}",
        "hello Lily, do you have {product} in stock? need {qty} {unit} urgently for {port}",
    ),
    "cert": (
        "Certificates for {product}",
        "Dear Lily,\n\nOur customer asks for the CE certificate and the LM-80 report of the "
        "{product} before confirming {qty} {unit}. Could you send them today?\n\n"
        "Regards,\n{first}",
    ),
    "es": (
        "Nuevo pedido: {product}",
        "Hola Lily:\n\nNecesitamos {qty} {unit} de {product} para un nuevo proyecto. ¿Nos "
        "puedes enviar la proforma CIF {port} con el plazo de entrega?\n\nGracias,\n{first}",
    ),
    "pt": (
        "Novo pedido: {product}",
        "Oi Lily,\n\nTemos um novo projeto com {qty} {unit} de {product}. Pode enviar a "
        "proforma CIF {port} e o prazo de entrega?\n\nObrigada,\n{first}",
    ),
    "fr": (
        "Nouveau projet : {product}",
        "Bonjour Lily,\n\nNous avons un nouveau chantier : {qty} {unit} de {product}, livraison "
        "CIF {port}. Pouvez-vous nous faire une offre cette semaine ?\n\nCordialement,\n{first}",
    ),
    "de": (
        "Neues Projekt: {product}",
        "Hallo Lily,\n\nwir haben ein neues Projekt mit {qty} {unit} {product}. Können Sie uns "
        "ein Angebot CIF {port} mit Lieferzeit schicken?\n\nViele Grüße\n{first}",
    ),
    "ru": (
        "Новый проект: {product}",
        "Здравствуйте, Лили!\n\nУ нас новый проект: нужно {qty} {unit} "
        "{product}, доставка до {port}. Актуальны ли ваши цены? Пришлите, пожалуйста, новое "
        "предложение.\n\n{person}",
    ),
    "ar": (
        "بخصوص {product}",
        "مرحباً ليلي،\n\nبخصوص {product}: إذا طلبنا {qty} {unit} هل يمكن إعطاؤنا خصم 3% مع "
        "الشحن إلى ميناء {port}؟ نحتاج الرد اليوم لأن الاجتماع مع المالك غداً.\n\nتحياتي،\n"
        "{person}",
    ),
    "zh": (
        "新项目：{product}",
        "Lily你好，我们又有一个项目，需要{product} {qty} {unit}，CIF {port}，请尽快报价。",
    ),
}

REPLY_SOP = (
    "Hi {first},\n\nThanks for your inquiry on Alibaba for {product}. This is Lily Chen from "
    f"{COMPANY}\n\nTo provide you with the most accurate quotation and solution, could you "
    "please let me know:\n1. Your detailed specifications or any drawing/picture?\n"
    "2. The target quantity (QTY) for this order?\n3. Your destination port?\n\n"
    "We are a professional manufacturer with 15 years of experience and have served clients "
    "from Europe, North America, the Middle East and Latin America. I believe we can meet your "
    "needs.\n\nLooking forward to your details.\n\nBest regards,\nLily Chen"
)
REPLY_DETAIL = (
    "Hi {first},\n\nThank you for your inquiry for {qty} {unit} of {product} to {port}. This is "
    f"Lily Chen from {COMPANY}\n\nI will send you the quotation with the datasheet within 24 "
    "hours. To recommend the right model, could you tell me:\n1. The application and mounting "
    "height?\n2. The colour temperature you prefer (4000K or 5000K)?\n\nOur lights are CE and "
    "RoHS certified, and we have 15 years of export experience.\n\nBest regards,\nLily Chen"
)
REPLY_ES = (
    "Hola {first}:\n\nGracias por su consulta sobre {product}. Soy Lily Chen, de {our} Le "
    "enviaré la cotización CIF {port} para {qty} {unit} en las próximas 24 horas. ¿Podría "
    "indicarme la temperatura de color y la aplicación?\n\nSaludos cordiales,\nLily Chen"
)
REPLY_REOPEN = (
    "Hi {first},\n\nThanks for your message. Noted: {qty} {unit} of {product} to {port}. I will "
    "send the PI today; the price is based on the current aluminium cost. Do you need the same "
    "packing and labels as before?\n\nBest regards,\nLily"
)
REPLY_QUESTION = (
    "Hi {first},\n\nYes: we print your logo on the housing and the carton free of charge from "
    "500 pcs, and a 5-year warranty is standard for this model. I'll update the PI today.\n\n"
    "Best regards,\nLily"
)
REPLY_CERT = (
    "Dear {first},\n\nPlease find attached the CE certificate, the LVD/EMC test report by SGS "
    "and the LM-80 report for the {product}. Let me know if your customer needs anything else."
    "\n\nBest regards,\nLily"
)

FEEDBACK = (
    "Goods arrived in good condition and the first lights are installed. Our customer is happy "
    "with the brightness. We will order again."
)
# key: (kind, direction, subject, text)
TOUCHES: dict[str, tuple[ActivityKind, Direction, str, str]] = {
    "bg_note": (
        ActivityKind.NOTE, Direction.NONE, "Background check",
        "Background check: {website} - {buyer_label}; {person} is {role} (LinkedIn). "
        "{profile}. Potential {potential}.",
    ),
    "lead_nudge": (
        ActivityKind.WHATSAPP, Direction.OUT, "",
        "Hi {first}, this is Lily from Brightlight. I replied to your inquiry about the "
        "{product} by e-mail. Could you tell me the quantity and destination port, so I can "
        "quote exactly?",
    ),
    "details_in": (
        ActivityKind.EMAIL, Direction.IN, "Re: {product}",
        "Hi Lily,\n\nThanks for the quick reply. We need {qty} {unit}, 5000K, for {application}. "
        "Destination port {port}. Please quote FOB Ningbo and CIF.\n\nRegards,\n{first}",
    ),
    "catalogue_out": (
        ActivityKind.EMAIL, Direction.OUT, "Brightlight catalogue and factory video",
        "Dear {first},\n\nThank you for the details. Attached are our catalogue, the company "
        "introduction and a 3-minute factory video (SMT line, 72 h aging test, packing).\n\n"
        "For your project I recommend the {product}: {selling}.\nCertificates: {certs}. MOQ "
        "{moq} {unit}, lead time {lead} days.\n\nI will send the formal quotation within 24 "
        "hours. May I ask whether the lights are for your own project or for resale?\n\n"
        "Best regards,\nLily",
    ),
    "ack_in": (
        ActivityKind.TM, Direction.IN, "",
        "received, thanks. checking with my boss, will come back to you this week",
    ),
    "quote_out": (
        ActivityKind.EMAIL, Direction.OUT, "Quotation: {product}",
        "Dear {first},\n\nPlease find our quotation for the {product} attached. In short:\n"
        "- {qty} {unit} at {currency} {price} per piece, FOB Ningbo\n- Payment: "
        f"{PAYMENT_TERMS}\n- Lead time: {{lead}} days after deposit\n- Packing: {{packing}}\n\n"
        "One suggestion: if you go up to the next quantity tier you save about 6% per piece. "
        "What is your timeline for the order?\n\nBest regards,\nLily",
    ),
    "quote_nudge": (
        ActivityKind.WHATSAPP, Direction.OUT, "",
        "Hi {first}, Lily from Brightlight here. I sent you the quotation for the {product} by "
        "e-mail. Did you receive it? Happy to have a short call if anything is unclear.",
    ),
    "bargain_in": (
        ActivityKind.EMAIL, Direction.IN, "Re: Quotation: {product}",
        "Hi Lily,\n\nYour price is about 8% higher than another supplier we are talking to. If "
        "we order {qty} {unit}, what is your best price? Can you accept a 20% deposit?\n\n"
        "{first}",
    ),
    "sample_in": (
        ActivityKind.EMAIL, Direction.IN, "Samples",
        "Lily,\n\nBefore we place the order we need 2 samples of the {product} to test. Can "
        "you send them by DHL on our account? And what is the payment term for the order?\n\n"
        "{first}",
    ),
    "payment_in": (
        ActivityKind.TM, Direction.IN, "",
        "if we order, can you do 30% deposit and balance after we receive the goods? how many "
        "days to {port}?",
    ),
    "value_out": (
        ActivityKind.EMAIL, Direction.OUT, "Re: Quotation: {product}",
        "Dear {first},\n\nI understand. Our price includes Lumileds chips, an Inventronics "
        "driver and a 5-year warranty, and every light runs a 72-hour aging test. For {qty} "
        "{unit} I can offer 3% off if the deposit is 50%. This price is based on the current "
        "aluminium cost and is valid until {valid}.\n\nBest regards,\nLily",
    ),
    "call": (
        ActivityKind.CALL, Direction.OUT, "Call",
        "Call, 20 min, with {first}: they compare us with two other suppliers; main concern is "
        "driver lifetime and after-sales. Promised the LM-80 report and the warranty terms in "
        "writing.",
    ),
    "meeting": (
        ActivityKind.MEETING, Direction.OUT, "Video call: factory tour",
        "Video call with {first} and their engineer: live tour of the SMT line, the aging room "
        "and packing. They asked about surge protection and spare parts; test report sent.",
    ),
    "final_push": (
        ActivityKind.EMAIL, Direction.OUT, "PI for your confirmation",
        "Dear {first},\n\nThe price in the PI is based on the current raw-material cost and is "
        "valid until {valid}. If you confirm by Friday, I can include a free packaging upgrade "
        "(5-layer export cartons with your logo).\n\nOnce you confirm, I'll stamp and return "
        "the PI, and production starts as soon as the deposit arrives.\n\nBest regards,\nLily",
    ),
    "confirm_in": (
        ActivityKind.EMAIL, Direction.IN, "Re: PI for your confirmation",
        "Hi Lily,\n\nWe confirm the PI. Please send the stamped version; our finance will pay "
        "the 30% deposit this week.\n\nRegards,\n{first}",
    ),
    "deposit_note": (
        ActivityKind.NOTE, Direction.NONE, "Deposit received",
        "Deposit received for {so}: {currency} {deposit} (30%). Production order issued to the "
        "workshop.",
    ),
    "production": (
        ActivityKind.WHATSAPP, Direction.OUT, "",
        "Hi {first}, production update for {so}: about {pct}% done, the aging test is running. "
        "Photos and a short video attached.",
    ),
    "inspection": (
        ActivityKind.EMAIL, Direction.OUT, "Inspection report {so}",
        "Dear {first},\n\nThe inspection of {so} is done: AQL 2.5 passed, no critical defects, "
        "2 minor cosmetic defects fixed. Packing photos are attached. Please confirm and we "
        "will book the shipment.\n\nBest regards,\nLily",
    ),
    "shipping": (
        ActivityKind.EMAIL, Direction.OUT, "Shipping notice {so}",
        "Dear {first},\n\nYour goods for {so} are on board:\nVessel: {vessel}\nETD Ningbo: "
        "{etd}\nETA {port}: {eta}\nB/L: {bl}\n\nB/L copy, commercial invoice and packing list "
        "are attached. The 70% balance is due against the B/L copy.\n\nBest regards,\nLily",
    ),
    "balance_note": (
        ActivityKind.NOTE, Direction.NONE, "Balance received",
        "Balance received for {so}; original B/L and certificate of origin sent by DHL.",
    ),
    "arrival": (
        ActivityKind.WHATSAPP, Direction.OUT, "",
        "Hi {first}, the container for {so} should have arrived at {port}. Is everything OK "
        "with the goods? Photos from the site are very welcome.",
    ),
    "feedback_in": (
        ActivityKind.EMAIL, Direction.IN, "Re: {so}", f"Hi Lily,\n\n{FEEDBACK}\n\n{{first}}",
    ),
    "repeat_in": (
        ActivityKind.EMAIL, Direction.IN, "New order",
        "Hi Lily,\n\nPlease prepare a PI for our next order: {lines}. Same packing and labels as "
        "last time.\n\nThanks,\n{first}",
    ),
    "nurture_new": (
        ActivityKind.EMAIL, Direction.OUT, "New: linear trunking system with DALI-2",
        "Dear {first},\n\nWe have just launched a linear trunking system with 150 lm/W and "
        "DALI-2 drivers. The datasheet is attached and samples are available. Would it fit "
        "your range?\n\nBest regards,\nLily",
    ),
    "nurture_holiday": (
        ActivityKind.EMAIL, Direction.OUT, "Season's greetings from Brightlight",
        "Dear {first},\n\nThank you for your trust this year. Please note that our factory "
        "closes for Chinese New Year; orders placed before mid-December ship before the "
        "holiday.\n\nBest regards,\nLily",
    ),
    "nurture_stock": (
        ActivityKind.WHATSAPP, Direction.OUT, "",
        "Hi {first}, how are the sales of the {product}? Aluminium prices went up this month; "
        "if you plan the next order, I can keep the current price until the end of the month.",
    ),
    "nurture_case": (
        ActivityKind.EMAIL, Direction.OUT, "Project photos: 1,200 high bays in Houston",
        "Dear {first},\n\nSharing a recent project: 1,200 of our high bays in a Houston "
        "logistics centre, saving 62% of the energy of the old metal-halide lights. The case "
        "study is attached; maybe useful for your customers.\n\nBest regards,\nLily",
    ),
    "follow_up": (
        ActivityKind.EMAIL, Direction.OUT, "Following up: {product}",
        "Dear {first},\n\nJust checking in: is the {product} project still going ahead? Our "
        "current price is valid until the end of the month, and I can send samples if that "
        "helps.\n\nBest regards,\nLily",
    ),
    "lost_in": (
        ActivityKind.EMAIL, Direction.IN, "Re: Following up",
        "Hi Lily,\n\nThank you for your efforts, but we placed the order with another "
        "supplier{why}. We will keep your contact for future projects.\n\nRegards,\n{first}",
    ),
    "lost_note": (ActivityKind.NOTE, Direction.NONE, "Marked lost", "Marked lost: {reason}."),
    "dormant_note": (
        ActivityKind.NOTE, Direction.NONE, "Moved to dormant",
        "No reply to three follow-ups; moved to dormant. Quarterly nurture: new catalogue, "
        "holiday greetings.",
    ),
    "pi_out": (
        ActivityKind.EMAIL, Direction.OUT, "{pi} - {product}",
        "Dear {first},\n\nPlease find {pi} attached:\n{lines}\nTotal {currency} {total}, "
        f"{{incoterm}} {{quote_port}}\nPayment: {PAYMENT_TERMS}\nLead time: {{lead}} days "
        "after deposit; valid until {valid}.\n\nShall I reserve production capacity for you "
        "now?\n\nBest regards,\nLily",
    ),
    "sample_out": (
        ActivityKind.EMAIL, Direction.OUT, "Samples sent: DHL {tracking}",
        "Dear {first},\n\nTwo samples of the {product} were sent today by DHL, tracking "
        "{tracking}, freight collect on your account. The test report and the installation "
        "guide are in the box.\n\nBest regards,\nLily",
    ),
    "fair_meeting": (
        ActivityKind.MEETING, Direction.IN, "Canton Fair",
        "Met {person} at our Canton Fair booth (hall 11.2). Interested in the {product}; took "
        "the catalogue and the price list. Asked for a quotation for {qty} {unit}.",
    ),
}  # fmt: skip

NEGOTIATION_SIGNALS: tuple[tuple[str, str], ...] = (
    ("bargain_in", "bargaining on price"),
    ("sample_in", "asked for samples"),
    ("payment_in", "asked about payment terms and delivery"),
)
LOST_TEXTS: dict[str, tuple[str, str]] = {
    "price": (" because their price was lower", "price about 10% above the competitor"),
    "competitor": (" who has stock in Mexico", "a competitor delivered from local stock"),
    "no_response": ("", "no response to three follow-ups"),
}
APPLICATIONS = ("a warehouse", "a factory retrofit", "a sports hall", "a municipal project")
BUCKETS = ("overdue", "earlier", "later", "future", "later", "overdue", "earlier", "future")
"""When open follow-ups fall due, in turn: overdue 1-3 days, earlier or later today, later."""
BUCKET_FALLBACK: dict[str, tuple[str, ...]] = {
    "overdue": ("overdue", "earlier", "later"),
    "earlier": ("earlier", "later"),
    "later": ("later",),
    "future": ("future",),
}
REPLY_MINUTES = (2, 2, 3, 3, 3, 4, 4, 5, 7, 9, 12, 17, 25, 38, 52, 75, 140, 260, 410)
"""First-reply times to draw from: mostly inside the golden five minutes, a few late ones."""
CHANNEL_TOUCH: dict[Channel, ActivityKind] = {
    Channel.TRADEMANAGER: ActivityKind.TM,
    Channel.WHATSAPP: ActivityKind.WHATSAPP,
}
EN_FIRST_KEYS: dict[Channel, str] = {
    Channel.TRADEMANAGER: "tm",
    Channel.RFQ: "rfq",
    Channel.EMAIL: "email",
    Channel.WHATSAPP: "whatsapp",
}
NURTURE_KEYS = ("nurture_stock", "nurture_new", "nurture_case")
"""Regular contact with customers who bought (SOP 5.3); greetings in December and January."""
REOPENS: dict[Stage, int] = {
    Stage.INTENT: 2,
    Stage.NEGOTIATION: 2,
    Stage.ORDER: 2,
    Stage.LOYAL: 3,
}
"""Answered inquiries in the last ten days from customers already in the funnel."""
REOPEN_KEYS: dict[Stage, tuple[str, ...]] = {
    Stage.INTENT: ("cert", "tm", "project"),
    Stage.NEGOTIATION: ("question", "project"),
    Stage.ORDER: ("project", "cert"),
    Stage.LOYAL: ("reorder", "project", "cert"),
}
REOPEN_REPLIES = {"question": REPLY_QUESTION, "cert": REPLY_CERT}
STATUS_DATES: dict[OrderStatus, int] = {
    OrderStatus.AWAITING_DEPOSIT: 1,
    OrderStatus.IN_PRODUCTION: 3,
    OrderStatus.INSPECTED: 6,
    OrderStatus.SHIPPED: 11,
    OrderStatus.ARRIVED: 12,
    OrderStatus.COMPLETED: 13,
}
"""How many of the order milestones (in `_Builder.order_dates` order) a status has reached."""
ORDER_EVENT_NOTES: dict[str, str] = {
    "deposit_received": "Deposit {currency} {deposit} received by T/T",
    "production_started": "Production order issued to the workshop",
    "production_update": "Weekly photos and video sent: about {pct}% done",
    "forwarder_booked": "Forwarder booked, 1x40HQ",
    "inspection": "Final inspection: AQL 2.5 passed",
    "shipped": "Shipped on {vessel}, B/L {bl}",
    "documents_sent": "B/L copy, commercial invoice and packing list sent",
    "balance_received": "Balance received; original documents released",
    "arrived": "Arrived at {port}",
    "feedback": "Customer feedback received",
}
SAMPLE_TRACKING = "4837261950"
STORE_DAYS = 30
PRODUCT_DAYS = 7
PRODUCT_SHARE: dict[str, tuple[float, bool]] = {
    # sku: (share of the store's exposure, brings inquiries)
    "BL-HB150": (0.22, True),
    "BL-PN4060": (0.18, True),
    "BL-SL100": (0.14, True),
    "BL-FL200": (0.13, True),
    "BL-T818": (0.07, False),
    "BL-SSL60": (0.12, True),
    "BL-ST5050": (0.0, False),
    "BL-LT40": (0.06, True),
}
"""The strip has no exposure at all and the tube no inquiries: zero-effect products."""
# hours ago, buyer country, product, quantity, quoted after (minutes), price, result
RFQS: tuple[tuple[int, str, str, str, int | None, str, str], ...] = (
    (3, "BR", "LED flood light 200W, IP66, 5000K", "500 pieces", 40, "32.50", "quoted"),
    (20, "US", "LED high bay 150W, DLC listed", "1,000 pieces", 55, "24.80",
     "buyer viewed the quotation"),
    (30, "PE", "LED panel light 600x600 40W", "2,000 pieces", None, "", ""),
    (52, "SA", "Solar street light 60W all-in-one", "300 sets", 90, "58.00", "lost: price"),
    (170, "PH", "LED street light 100W", "800 pieces", 120, "36.50", "became an inquiry"),
    (200, "EG", "LED tube T8 18W", "20,000 pieces", None, "",
     "skipped: target price below cost"),
)  # fmt: skip
BATCH = 200


# ---------------------------------------------------------------------------------------------
# Plain values


@dataclass(frozen=True)
class DemoSummary:
    customers: int
    countries: int
    inquiries: int
    unanswered: int
    activities: int
    tasks: int
    quotes: int
    orders: int
    products: int


class DemoError(Exception):
    """The database is not empty: the demo only fills a fresh one."""


class _Touch(NamedTuple):
    at: pendulum.DateTime
    kind: ActivityKind
    direction: Direction
    subject: str
    text: str
    inquiry: int | None = None
    """Index into the customer's planned inquiries (replies link their inquiry)."""


class _TaskSpec(NamedTuple):
    kind: TaskKind
    source: str
    title: str
    why: str
    trigger: pendulum.DateTime
    """When the follow-up arose (its created_at)."""
    due: pendulum.DateTime | None = None
    done: pendulum.DateTime | None = None
    inquiry: int | None = None


@dataclass
class _InquiryPlan:
    received_at: pendulum.DateTime
    channel: Channel
    subject: str
    body: str
    sku: str
    qty: int
    port: str
    first_reply_at: pendulum.DateTime | None
    reply: str


@dataclass
class _QuotePlan:
    seed: QuoteSeed
    created_at: pendulum.DateTime
    sent_at: pendulum.DateTime | None
    valid_until: date
    currency: str
    seq: int = 0
    id: int = 0

    @property
    def number(self) -> str:
        return f"PI-{self.created_at.year}-{self.seq:04d}"


@dataclass
class _OrderPlan:
    seed: OrderSeed
    deposit_at: pendulum.DateTime
    lines: tuple[tuple[str, int], ...]
    currency: str
    quote: _QuotePlan | None
    seq: int = 0
    dates: dict[str, pendulum.DateTime | None] = field(default_factory=dict)
    events: list[tuple[str, pendulum.DateTime, str]] = field(default_factory=list)
    vessel: str = ""
    bl_number: str = ""

    @property
    def number(self) -> str:
        return f"SO-{self.deposit_at.year}-{self.seq:04d}"


@dataclass
class _Plan:
    """One customer: who, and the times of their stage changes."""

    seed: CustomerSeed
    zone: str
    path: tuple[Stage, ...]
    times: list[pendulum.DateTime]
    sku: str
    qty: int
    number: int = 0
    bg_done: bool = False
    profile: str = ""
    touches: list[_Touch] = field(default_factory=list)
    inquiries: list[_InquiryPlan] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """Why each stage change happened, one per `path` entry."""
    quotes: list[_QuotePlan] = field(default_factory=list)
    orders: list[_OrderPlan] = field(default_factory=list)

    def at(self, stage: Stage) -> pendulum.DateTime:
        return self.times[self.path.index(stage)]

    @property
    def t0(self) -> pendulum.DateTime:
        return self.times[0]


# ---------------------------------------------------------------------------------------------
# The use case


def seed(now: pendulum.DateTime, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Fill an empty database with the demo, relative to `now`; one transaction.

    The caller holds the connection (`database.connection_context()`).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("seed() needs an aware datetime")
    now = pendulum.instance(now).in_timezone("UTC")
    builder = _Builder(now, random.Random(seed))
    with database.atomic():
        _require_empty()
        builder.write_all()
        search.rebuild()
        return _summary()


def _require_empty() -> None:
    for model in ALL_MODELS:
        if model is Rep:
            continue
        if model.select().exists():
            raise DemoError(f"the database already holds {model.__name__} rows")


def _summary() -> DemoSummary:
    return DemoSummary(
        customers=Customer.select().count(),
        countries=Customer.select(fn.COUNT(fn.DISTINCT(Customer.country))).scalar() or 0,
        inquiries=Inquiry.select().count(),
        unanswered=Inquiry.unanswered().count(),
        activities=Activity.select().count(),
        tasks=Task.select().count(),
        quotes=Quote.select().count(),
        orders=Order.select().count(),
        products=Product.select().count(),
    )


# ---------------------------------------------------------------------------------------------
# Small pure helpers


def _stamp(row: dict[str, Any], at: pendulum.DateTime) -> dict[str, Any]:
    """Set created/updated explicitly: the model default is the wall clock (not reproducible)."""
    row.setdefault("created_at", at)
    row.setdefault("updated_at", row["created_at"])
    return row


def _between(a: pendulum.DateTime, b: pendulum.DateTime, frac: float) -> pendulum.DateTime:
    return a.add(seconds=int((b - a).total_seconds() * frac))


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _product(sku: str) -> ProductSeed:
    return next(p for p in PRODUCTS if p.sku == sku)


def _unit_price(sku: str, qty: int, currency: str) -> Decimal:
    price = Decimal("0")
    for min_qty, tier_price in _product(sku).tiers:
        if qty >= min_qty or price == 0:
            price = Decimal(tier_price)
    if currency == "EUR":
        price = (price * EUR_PER_USD).quantize(CENT, rounding=ROUND_HALF_UP)
    return price


def _total(lines: tuple[tuple[str, int], ...], currency: str) -> Decimal:
    return sum((_unit_price(sku, qty, currency) * qty for sku, qty in lines), Decimal("0"))


def _lines_text(lines: tuple[tuple[str, int], ...], currency: str) -> str:
    return "; ".join(
        f"{qty} {_product(sku).unit} {_product(sku).name} at {currency} "
        f"{_unit_price(sku, qty, currency)}"
        for sku, qty in lines
    )


def _first_name(person: str) -> str:
    return FIRST_NAMES.get(person, person.split()[0])


def _domain(email: str) -> str:
    domain = email.rpartition("@")[2].lower()
    return "" if domain in FREE_MAIL else domain


def _path(c: CustomerSeed) -> tuple[Stage, ...]:
    stage = Stage(c.stage)
    top = Stage(c.peak) if c.peak else stage
    funnel = (Stage.LEAD, Stage.INTENT, Stage.NEGOTIATION, Stage.ORDER, Stage.LOYAL)
    path = funnel[: funnel.index(top) + 1]
    return path if stage == top else (*path, stage)


def _content_hash(body: str, at: pendulum.DateTime) -> str:
    return hashlib.sha256(f"{body}\n{at.isoformat()}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The builder: plans (pure), then writes


class _Builder:
    def __init__(self, now: pendulum.DateTime, rng: random.Random) -> None:
        self.now = now
        self.rng = rng
        self.rep_id = 0
        self.product_ids: dict[str, int] = {}
        self.activities: list[dict[str, Any]] = []
        self.stage_changes: list[dict[str, Any]] = []
        self.tasks: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.bucket = 0
        self.store_exposure: dict[date, int] = {}

    # -- the whole run --------------------------------------------------------------------------

    def write_all(self) -> None:
        self.write_rep()
        self.write_catalogue()
        self.write_library()
        plans = self.plan_customers()
        self.plan_deals(plans)
        for plan in plans:
            self.tell_story(plan)
            self.write_customer(plan)
        self.write_bulk()
        self.write_store_metrics()
        self.write_product_metrics()
        self.write_rfqs()

    # -- reference data -------------------------------------------------------------------------

    def write_rep(self) -> None:
        existing = Rep.get_or_none(Rep.login == REP["login"])
        if existing is not None:
            self.rep_id = existing.id
            return
        first_day = self.now.subtract(years=3)
        self.rep_id = Rep.insert(_stamp({**REP}, first_day)).execute()

    def write_catalogue(self) -> None:
        created = self.now.subtract(years=2)
        tiers: list[dict[str, Any]] = []
        for p in PRODUCTS:
            row = p._asdict()
            row.pop("tiers")
            self.product_ids[p.sku] = Product.insert(_stamp(row, created)).execute()
            for min_qty, price in p.tiers:
                tiers.append(
                    _stamp(
                        {
                            "product": self.product_ids[p.sku],
                            "min_qty": min_qty,
                            "unit_price": Decimal(price),
                            "currency": "USD",
                        },
                        created,
                    )
                )
        PriceTier.insert_many(tiers).execute()

    def write_library(self) -> None:
        created = self.now.subtract(years=1)
        rows = [
            _stamp(
                {
                    "kind": kind,
                    "title": title,
                    "link": link,
                    "valid_until": self.now.add(days=days).date() if days else None,
                },
                created,
            )
            for kind, title, link, days in MATERIALS
        ]
        Material.insert_many(rows).execute()
        faqs = [
            _stamp({"topic": t, "question": q, "answer": a, "language": lang}, created)
            for t, q, a, lang in FAQS
        ]
        FaqAnswer.insert_many(faqs).execute()

    # -- planning: times of every stage change --------------------------------------------------

    def plan_customers(self) -> list[_Plan]:
        plans = []
        for c in CUSTOMERS:
            zone = c.zone or infer_timezone(c.country)
            if zone is None:
                raise ValueError(f"{c.company}: {c.country} has several zones; give one")
            path = _path(c)
            skus = c.skus.split()
            sku = skus[0]
            plan = _Plan(c, zone, path, [], sku, self.rng.choice(QUANTITIES[sku]))
            plan.times = self.milestones(plan)
            plans.append(plan)
        plans.sort(key=lambda p: (p.t0, p.seed.company))
        for number, plan in enumerate(plans, start=1):
            plan.number = number
        return plans

    def business_time(self, zone: str, days_ago: int) -> pendulum.DateTime:
        """A moment in the customer's office hours `days_ago` days back, never in the future."""
        local = self.now.in_timezone(zone).subtract(days=days_ago)
        local = local.at(self.rng.randint(8, 17), self.rng.randint(0, 59), self.rng.randint(0, 59))
        at = local.in_timezone("UTC")
        if at > self.now.subtract(minutes=40):
            at = self.now.subtract(minutes=self.rng.randint(45, 300))
        return at

    def milestones(self, p: _Plan) -> list[pendulum.DateTime]:
        c = p.seed
        minutes = UNANSWERED.get(c.company)
        if minutes is not None and Stage(c.stage) == Stage.LEAD:
            return [self.now.subtract(minutes=minutes)]
        t0 = self.business_time(p.zone, c.first)
        if len(p.path) == 1:
            return [t0]
        last = self.business_time(p.zone, c.since)
        last = min(max(last, t0.add(days=len(p.path))), self.now.subtract(minutes=30))
        gaps = [self.rng.uniform(1, 3), self.rng.uniform(4, 12), self.rng.uniform(8, 25)]
        gaps = gaps[: len(p.path) - 2]
        budget = (last - t0).total_seconds() / 86400 * 0.85
        if sum(gaps) > budget:
            gaps = [g * budget / sum(gaps) for g in gaps]
        times = [t0]
        for gap in gaps:
            times.append(times[-1].add(seconds=int(gap * 86400)))
        return [*times, last]

    # -- planning: quotations and orders, numbered in time order --------------------------------

    def plan_deals(self, plans: list[_Plan]) -> None:
        by_company = {p.seed.company: p for p in plans}
        quotes: list[_QuotePlan] = []
        for q in QUOTES:
            plan = by_company[q.company]
            plan.quotes.append(self.plan_quote(q, plan))
            quotes.append(plan.quotes[-1])
        orders: list[_OrderPlan] = []
        for o in ORDERS:
            plan = by_company[o.company]
            plan.orders.append(self.plan_order(o, plan))
            orders.append(plan.orders[-1])
        self.number_in_years(quotes, lambda q: q.created_at)
        self.number_in_years(orders, lambda o: o.deposit_at)

    def number_in_years(self, items: list[Any], when: Any) -> None:
        """Number quotations or orders in time order within each year, with colleagues' gaps."""
        seqs: dict[int, int] = {}
        for item in sorted(items, key=when):
            at = when(item)
            if at.year in seqs:
                seqs[at.year] += self.rng.randint(1, 4)
            else:
                seqs[at.year] = 1 + at.day_of_year // SEQ_DAYS
            item.seq = seqs[at.year]

    def plan_quote(self, q: QuoteSeed, p: _Plan) -> _QuotePlan:
        status = QuoteStatus(q.status)
        sent: pendulum.DateTime | None = None
        if status == QuoteStatus.ACCEPTED:
            sent = p.at(Stage.ORDER).subtract(days=8)
        elif status == QuoteStatus.EXPIRED:
            sent = p.at(Stage.NEGOTIATION).add(days=2)
        elif status == QuoteStatus.SENT:
            sent = self.now.subtract(days=q.days, minutes=self.rng.randint(30, 400))
        if sent is not None:
            created = sent.subtract(minutes=45)
        else:
            created = self.now.subtract(days=q.days, minutes=self.rng.randint(30, 300))
        valid = (sent or created).in_timezone(REP_ZONE).add(days=30).date()
        return _QuotePlan(q, created, sent, valid, p.seed.currency)

    def plan_order(self, o: OrderSeed, p: _Plan) -> _OrderPlan:
        quote = None
        if not o.lines:
            quote = next(q for q in p.quotes if q.seed.status == QuoteStatus.ACCEPTED)
        lines = o.lines or (quote.seed.lines if quote else ())
        plan = _OrderPlan(o, p.at(Stage(o.milestone)), lines, p.seed.currency, quote)
        plan.dates = self.order_dates(plan, p.seed.country)
        if plan.dates["shipped_at"] is not None:
            plan.vessel, prefix = self.rng.choice(VESSELS)
            plan.bl_number = f"{prefix}{self.rng.randint(10**9, 10**10 - 1)}"
        return plan

    def order_dates(self, o: _OrderPlan, country: str) -> dict[str, pendulum.DateTime | None]:
        d = o.deposit_at
        transit = TRANSIT_DAYS.get(country, 30)
        eta = d.add(days=30 + transit)
        dates = {
            "ordered_at": d.subtract(days=3),
            "deposit_received_at": d,
            "production_started_at": d.add(days=1),
            "forwarder_booked_at": d.add(days=22),
            "inspected_at": d.add(days=25),
            "packed_at": d.add(days=26),
            "shipped_at": d.add(days=30),
            "etd": d.add(days=30),
            "documents_sent_at": d.add(days=32),
            "balance_received_at": d.add(days=34),
            "eta": eta,
            "arrived_at": eta,
            "feedback_at": eta.add(days=9),
        }
        keep = list(dates)[: STATUS_DATES[OrderStatus(o.seed.status)]]
        return {
            key: at if key in keep and (at <= self.now or key == "eta") else None
            for key, at in dates.items()
        }

    # -- the story of one customer: touches, inquiries, reasons for each stage change ---------

    def ctx(self, p: _Plan, **extra: str) -> dict[str, str]:
        c = p.seed
        product = _product(p.sku)
        values = {
            "first": _first_name(c.person),
            "person": c.person,
            "company": c.company,
            "role": c.role,
            "product": product.name,
            "qty": str(p.qty),
            "unit": product.unit,
            "port": c.port,
            "country": COUNTRY_NAMES[c.country],
            "website": _domain(c.email) or "no company website (free-mail address)",
            "buyer_label": c.buyer.replace("_", " "),
            "potential": c.potential,
            "profile": p.profile,
            "certs": product.certifications,
            "moq": str(product.moq),
            "lead": str(product.lead_time_days),
            "selling": product.selling_points,
            "packing": product.packaging,
            "currency": c.currency,
            "price": str(_unit_price(p.sku, p.qty, c.currency)),
            "application": APPLICATIONS[p.number % len(APPLICATIONS)],
            "our": COMPANY,
        }
        values.update(extra)
        return values

    def touch(self, p: _Plan, key: str, at: pendulum.DateTime, **extra: str) -> None:
        kind, direction, subject, text = TOUCHES[key]
        values = self.ctx(p, **extra)
        p.touches.append(
            _Touch(at, kind, direction, subject.format_map(values), text.format_map(values))
        )

    def local_date(self, at: pendulum.DateTime) -> str:
        return at.in_timezone(REP_ZONE).format("D MMM YYYY")

    def tell_story(self, p: _Plan) -> None:
        c = p.seed
        p.bg_done = self.background_checked(p)
        p.profile = self.platform_profile(p)
        self.first_contact(p)
        steps = {
            Stage.INTENT: self.to_intent,
            Stage.NEGOTIATION: self.to_negotiation,
            Stage.ORDER: self.to_order,
            Stage.LOYAL: self.to_loyal,
            Stage.LOST: self.to_lost,
            Stage.DORMANT: self.to_dormant,
        }
        for i in range(1, len(p.path)):
            p.reasons.append(steps[p.path[i]](p, p.times[i - 1], p.times[i]))
        for order in p.orders:
            self.order_story(p, order)
        for quote in p.quotes:
            self.quote_story(p, quote)
        if c.company == SAMPLE_FOR:
            self.touch(p, "sample_out", self.sample_sent(), tracking=SAMPLE_TRACKING)
        self.after_last_stage(p)
        self.reopen_inquiries(p)
        p.touches = sorted((t for t in p.touches if t.at < self.now), key=lambda t: t.at)

    def background_checked(self, p: _Plan) -> bool:
        c = p.seed
        if c.company in NO_BACKGROUND_CHECK:
            return False
        if Stage(c.stage) == Stage.LEAD:
            return c.first >= 2 and c.company not in UNANSWERED
        return True

    def platform_profile(self, p: _Plan) -> str:
        if not p.bg_done:
            return ""
        verified = "verified buyer" if p.seed.potential in ("A", "B") else "not verified"
        since = p.t0.year - self.rng.randint(1, 6)
        inquiries = self.rng.randint(3, 40)
        return (
            f"Alibaba.com: {verified}, member since {since}, {inquiries} inquiries and "
            f"{self.rng.randint(0, inquiries // 4)} orders in the last 90 days, no bad reviews"
        )

    def reply_time(self, received: pendulum.DateTime) -> pendulum.DateTime:
        minutes = self.rng.choice(REPLY_MINUTES)
        at = received.add(minutes=minutes, seconds=self.rng.randint(0, 59))
        latest = self.now.subtract(minutes=1)
        if at > latest:
            half = int((latest - received).total_seconds() / 2)
            at = received.add(seconds=max(120, half))
        return at

    def first_contact(self, p: _Plan) -> None:
        c = p.seed
        channel = Channel(c.source)
        if channel == Channel.OTHER:
            self.touch(p, "fair_meeting", p.t0)
            p.reasons.append("met at the Canton Fair")
        else:
            key, subject, body = self.first_text(p, channel)
            reply = self.first_reply_text(p, key)
            if p.t0 >= self.now.subtract(days=INBOX_DAYS):
                answered = c.company not in UNANSWERED
                port = "" if key == "tm" else c.port
                self.add_inquiry(p, p.t0, channel, subject, body, port, reply, answered)
            else:
                kind = CHANNEL_TOUCH.get(channel, ActivityKind.EMAIL)
                p.touches.append(_Touch(p.t0, kind, Direction.IN, subject, body))
                at = self.reply_time(p.t0)
                p.touches.append(
                    _Touch(at, ActivityKind.REPLY, Direction.OUT, f"Re: {subject}", reply)
                )
            p.reasons.append(f"first inquiry via {channel.value.replace('_', ' ')}")
        if p.bg_done:
            self.touch(p, "bg_note", p.t0.add(minutes=self.rng.randint(40, 180)))

    def first_text(self, p: _Plan, channel: Channel) -> tuple[str, str, str]:
        lang = p.seed.lang
        if lang == "es" and channel == Channel.WHATSAPP:
            key = "es_whatsapp"
        elif lang != "en":
            key = lang
        elif channel == Channel.SITE_INQUIRY:
            key = self.rng.choice(("site", "site2"))
        else:
            key = EN_FIRST_KEYS.get(channel, "email")
        subject, body = FIRST_INQUIRY[key]
        values = self.ctx(p)
        return key, subject.format_map(values), body.format_map(values)

    def first_reply_text(self, p: _Plan, key: str) -> str:
        template = REPLY_SOP
        if p.seed.lang == "es":
            template = REPLY_ES
        elif key in ("site", "rfq", "whatsapp"):
            template = REPLY_DETAIL
        return template.format_map(self.ctx(p))

    def add_inquiry(
        self,
        p: _Plan,
        at: pendulum.DateTime,
        channel: Channel,
        subject: str,
        body: str,
        port: str,
        reply: str,
        answered: bool,
        sku: str = "",
        qty: int = 0,
    ) -> None:
        reply_at = self.reply_time(at) if answered else None
        p.inquiries.append(
            _InquiryPlan(
                at, channel, subject, body, sku or p.sku, qty or p.qty, port, reply_at, reply
            )
        )
        if reply_at is not None:
            index = len(p.inquiries) - 1
            subject = subject if subject.startswith("Re:") else f"Re: {subject}"
            p.touches.append(
                _Touch(reply_at, ActivityKind.REPLY, Direction.OUT, subject, reply, index)
            )

    # -- stage transitions: each adds the touches that led to it and returns the reason -----

    def to_intent(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        self.touch(p, "details_in", _between(start, end, 0.6))
        self.touch(p, "catalogue_out", end.add(minutes=self.rng.randint(20, 90)))
        return f"needs understood: {p.qty} {_product(p.sku).unit} to {p.seed.port}"

    def to_negotiation(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        self.touch(p, "quote_out", _between(start, end, 0.35))
        self.touch(p, "quote_nudge", _between(start, end, 0.55))
        key, reason = NEGOTIATION_SIGNALS[p.number % len(NEGOTIATION_SIGNALS)]
        if p.seed.company == SAMPLE_FOR:
            key, reason = NEGOTIATION_SIGNALS[1]
        self.touch(p, key, end)
        valid = self.local_date(end.add(days=14))
        self.touch(p, "value_out", end.add(hours=self.rng.randint(3, 20)), valid=valid)
        follow = "meeting" if p.seed.potential == "A" else "call"
        self.touch(p, follow, end.add(days=1, hours=self.rng.randint(1, 8)))
        return reason

    def to_order(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        order = next(o for o in p.orders if o.seed.milestone == Stage.ORDER)
        valid = self.local_date(end.add(days=7))
        self.touch(p, "final_push", _between(start, end, 0.5), valid=valid)
        self.touch(p, "confirm_in", _between(start, end, 0.8))
        return f"deposit received ({order.number})"

    def to_loyal(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        first = next(o for o in p.orders if o.seed.milestone == Stage.ORDER)
        repeat = next(o for o in p.orders if o.seed.milestone == Stage.LOYAL)
        lines = _lines_text(repeat.lines, repeat.currency)
        self.touch(p, "repeat_in", end.subtract(days=6), lines=lines)
        delivered = first.dates["feedback_at"] or start
        self.nurture(p, delivered, end.subtract(days=10))
        return f"second order placed ({repeat.number})"

    def to_lost(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        reason = p.seed.lost
        self.touch(p, "follow_up", _between(start, end, 0.3))
        nudge = "quote_nudge" if len(p.path) > 3 else "lead_nudge"
        self.touch(p, nudge, _between(start, end, 0.65))
        why, text = LOST_TEXTS[reason]
        if reason != LostReason.NO_RESPONSE:
            self.touch(p, "lost_in", end.subtract(hours=3), why=why)
        self.touch(p, "lost_note", end.add(minutes=5), reason=text)
        return text

    def to_dormant(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> str:
        self.touch(p, "follow_up", _between(start, end, 0.25))
        nudge = "quote_nudge" if Stage.NEGOTIATION in p.path else "lead_nudge"
        self.touch(p, nudge, _between(start, end, 0.5))
        self.touch(p, "follow_up", _between(start, end, 0.8))
        self.touch(p, "dormant_note", end)
        return "no reply to three follow-ups in 90 days"

    def after_last_stage(self, p: _Plan) -> None:
        stage, last = p.path[-1], p.times[-1]
        answered = p.seed.company not in UNANSWERED
        if stage == Stage.LEAD and answered and p.seed.first >= 2:
            self.touch(p, "lead_nudge", p.t0.add(days=1, hours=self.rng.randint(1, 6)))
        elif stage == Stage.INTENT:
            self.touch(p, "ack_in", last.add(days=1, hours=self.rng.randint(1, 6)))
        elif stage == Stage.LOYAL:
            repeat = p.orders[-1]
            self.nurture(p, repeat.dates["feedback_at"] or last, self.now.subtract(days=2))
        elif stage == Stage.DORMANT:
            self.touch(p, _nurture_key(last.add(days=45), 1), last.add(days=45))

    def nurture(self, p: _Plan, start: pendulum.DateTime, end: pendulum.DateTime) -> None:
        at = start.add(days=self.rng.randint(25, 40))
        turn = 0
        while at < end:
            self.touch(p, _nurture_key(at, turn), at)
            turn += 1
            at = at.add(days=self.rng.randint(35, 60), hours=self.rng.randint(0, 8))

    # -- orders, quotations, sample ------------------------------------------------------------

    def order_story(self, p: _Plan, o: _OrderPlan) -> None:
        d = o.dates
        total = _total(o.lines, o.currency)
        deposit = _money((total * Decimal("0.3")).quantize(CENT))
        extra = {"so": o.number, "deposit": deposit, "currency": o.currency, "port": p.seed.port}
        self.order_event(p, o, "deposit_received", d["deposit_received_at"], "deposit_note", extra)
        self.order_event(p, o, "production_started", d["production_started_at"], "", extra)
        for pct, at in self.production_updates(o):
            self.order_event(p, o, "production_update", at, "production", {**extra, "pct": pct})
        self.order_event(p, o, "forwarder_booked", d["forwarder_booked_at"], "", extra)
        self.order_event(p, o, "inspection", d["inspected_at"], "inspection", extra)
        shipping = {
            **extra,
            "vessel": o.vessel,
            "bl": o.bl_number,
            "etd": self.local_date(d["etd"]) if d["etd"] else "",
            "eta": self.local_date(d["eta"]) if d["eta"] else "",
        }
        self.order_event(p, o, "shipped", d["shipped_at"], "shipping", shipping)
        self.order_event(p, o, "documents_sent", d["documents_sent_at"], "", extra)
        self.order_event(p, o, "balance_received", d["balance_received_at"], "balance_note", extra)
        self.order_event(p, o, "arrived", d["arrived_at"], "arrival", extra)
        self.order_event(p, o, "feedback", d["feedback_at"], "feedback_in", extra)

    def order_event(
        self,
        p: _Plan,
        o: _OrderPlan,
        kind: str,
        at: pendulum.DateTime | None,
        touch: str,
        extra: dict[str, str],
    ) -> None:
        if at is None or at >= self.now:
            return
        o.events.append((kind, at, ORDER_EVENT_NOTES[kind].format_map(extra)))
        if touch:
            self.touch(p, touch, at.add(minutes=self.rng.randint(5, 120)), **extra)

    def production_updates(self, o: _OrderPlan) -> list[tuple[str, pendulum.DateTime]]:
        """Weekly photos; an order in production got its latest update today or two days ago."""
        start = o.dates["production_started_at"]
        if start is None:
            return []
        if o.seed.status == OrderStatus.IN_PRODUCTION:
            latest = self.earlier_today(0.5) if o.seed is ORDERS[0] else self.now.subtract(days=2)
            times = [latest.subtract(weeks=k) for k in range(4)]
            times = sorted(t for t in times if t > start.add(days=2))
        else:
            times = [start.add(days=7 * k) for k in (1, 2, 3)]
        return [(str(min(95, 30 * (i + 1))), at) for i, at in enumerate(times)]

    def earlier_today(self, frac: float) -> pendulum.DateTime:
        start = self.now.in_timezone(REP_ZONE).start_of("day").in_timezone("UTC")
        return _between(start, self.now, frac)

    def quote_story(self, p: _Plan, q: _QuotePlan) -> None:
        if q.sent_at is None:
            return
        incoterm = Incoterm(q.seed.incoterm)
        lines = "\n".join(
            f"- {qty} {_product(sku).unit} {_product(sku).name} at {q.currency} "
            f"{_unit_price(sku, qty, q.currency)}"
            for sku, qty in q.seed.lines
        )
        self.touch(
            p,
            "pi_out",
            q.sent_at,
            pi=q.number,
            lines=lines,
            total=_money(_total(q.seed.lines, q.currency)),
            currency=q.currency,
            incoterm=incoterm.value,
            quote_port=_quote_port(incoterm, p.seed.port),
            valid=q.valid_until.strftime("%d %b %Y").lstrip("0"),
        )

    def sample_sent(self) -> pendulum.DateTime:
        return self.now.subtract(days=4, hours=3)

    # -- inquiries that reopen a conversation ------------------------------------------------

    def reopen_inquiries(self, p: _Plan) -> None:
        """Inquiries of the last ten days from customers already known; the language last."""
        stage = Stage(p.seed.stage)
        lo = max(p.t0.add(days=1), self.now.subtract(days=INBOX_DAYS).add(hours=2))
        hi = self.now.subtract(minutes=45)
        count = REOPENS.get(stage, 0) if lo < hi else 0
        times = sorted(_between(lo, hi, self.rng.random()) for _ in range(count))
        minutes = UNANSWERED.get(p.seed.company)
        if minutes is not None and stage != Stage.LEAD:
            times.append(self.now.subtract(minutes=minutes))
        options = REOPEN_KEYS.get(stage, ("project",))
        keys = self.rng.sample(options, len(options))
        if p.seed.lang != "en":
            keys = [*keys[: max(0, len(times) - 1)], p.seed.lang]
        for n, at in enumerate(times):
            self.reopen_one(p, at, keys[n % len(keys)], answered=n < count)

    def reopen_one(self, p: _Plan, at: pendulum.DateTime, key: str, answered: bool) -> None:
        c = p.seed
        sku = self.rng.choice(c.skus.split())
        qty = self.rng.choice(QUANTITIES[sku])
        values = self.ctx(p, product=_product(sku).name, qty=str(qty), unit=_product(sku).unit)
        subject, body = (text.format_map(values) for text in REOPEN[key])
        reply = REOPEN_REPLIES.get(key, REPLY_REOPEN).format_map(values)
        if key == "tm":
            channel = Channel.TRADEMANAGER
        elif c.lang == "en" and c.source == Channel.WHATSAPP:
            channel = Channel.WHATSAPP
        else:
            channel = self.rng.choice((Channel.EMAIL, Channel.EMAIL, Channel.WHATSAPP))
        self.add_inquiry(p, at, channel, subject, body, c.port, reply, answered, sku, qty)

    # -- follow-ups -----------------------------------------------------------------------------

    def plan_tasks(self, p: _Plan) -> list[_TaskSpec]:
        specs = self.done_tasks(p)
        spec = self.open_task(p)
        if spec is not None:
            specs.append(spec if spec.due else spec._replace(due=self.due_at(spec.trigger)))
        return specs

    def open_task(self, p: _Plan) -> _TaskSpec | None:
        stage = p.path[-1]
        v = self.ctx(p)
        since = self.local_date(p.times[-1])
        if stage == Stage.LEAD:
            return self.lead_task(p, v)
        if stage == Stage.INTENT:
            title = "Send the quotation for {qty} {unit} {product} to {first}".format_map(v)
            why = (
                f"Needs understood on {since}: {p.reasons[-1].split(': ', 1)[-1]}. "
                "SOP 3.1: a detailed PI, and one or two questions that move things on"
            )
            return _TaskSpec(TaskKind.FOLLOW_UP, "manual", title, why, p.times[-1])
        if stage == Stage.NEGOTIATION:
            return self.negotiation_task(p, v)
        if stage == Stage.ORDER:
            return self.order_task(p, v)
        if stage == Stage.LOYAL:
            return self.loyal_task(p, v)
        if stage == Stage.DORMANT:
            title = "Send the new catalogue and greetings to {first}".format_map(v)
            why = f"Dormant since {since}; a quarterly nurture keeps the door open"
            return _TaskSpec(TaskKind.NURTURE, "nurture", title, why, p.times[-1])
        return None

    def lead_task(self, p: _Plan, v: dict[str, str]) -> _TaskSpec | None:
        first = p.inquiries[0] if p.inquiries else None
        if first is None or first.first_reply_at is None:
            return None  # the inbox asks for the reply
        replied = self.local_date(first.first_reply_at)
        if not p.bg_done:
            title = "Background check on {company}: website, LinkedIn, Alibaba profile"
            why = (
                f"New lead from {v['country']}; first reply sent {replied}. "
                "SOP 2.2: check right after replying"
            )
            return _TaskSpec(
                TaskKind.BACKGROUND_CHECK,
                "background_check",
                title.format_map(v),
                why,
                first.first_reply_at,
                inquiry=0,
            )
        if first.port:
            title = "Follow up {first}: did the reply about the {product} arrive?"
        else:
            title = "Ask {first} for the target quantity and destination port"
        why = f"First reply sent {replied}, no answer yet. SOP 3: follow up within 72 hours"
        return _TaskSpec(
            TaskKind.FOLLOW_UP,
            "first_reply_follow_up",
            title.format_map(v),
            why,
            first.first_reply_at,
            inquiry=0,
        )

    def negotiation_task(self, p: _Plan, v: dict[str, str]) -> _TaskSpec:
        sent = next((q for q in p.quotes if q.seed.status == QuoteStatus.SENT), None)
        if p.seed.company == SAMPLE_FOR:
            delivered = self.sample_sent().add(days=3)
            title = f"Ask {v['first']} for feedback on the {v['product']} sample"
            why = (
                f"DHL {SAMPLE_TRACKING} delivered on {self.local_date(delivered)}. "
                "SOP 4.2: ship samples fast, then ask how the test went"
            )
            return _TaskSpec(TaskKind.SAMPLE_FEEDBACK, "sample_feedback", title, why, delivered)
        if sent is not None and sent.sent_at is not None:
            title = f"Ask whether the quotation {sent.number} arrived"
            why = (
                f"{sent.number} sent by e-mail on {self.local_date(sent.sent_at)}, no reply yet. "
                "SOP 3.2: nudge on TM or WhatsApp"
            )
            return _TaskSpec(TaskKind.QUOTE_NUDGE, "quote_nudge", title, why, sent.sent_at)
        title = "Call {first}: 3% off for {qty} {unit} with a 50% deposit".format_map(v)
        why = (
            f"Buying signal on {self.local_date(p.times[-1])}: {p.reasons[-1]}. "
            "SOP 4.2: a small discount only with conditions"
        )
        return _TaskSpec(TaskKind.FOLLOW_UP, "manual", title, why, p.times[-1])

    def order_task(self, p: _Plan, v: dict[str, str]) -> _TaskSpec:
        o = p.orders[-1]
        status = OrderStatus(o.seed.status)
        first = v["first"]
        if status == OrderStatus.IN_PRODUCTION:
            updates = [at for kind, at, _note in o.events if kind == "production_update"]
            last = updates[-1] if updates else o.deposit_at
            title = f"Send weekly production photos for {o.number} to {first}"
            why = (
                f"Production started {self.local_date(o.deposit_at.add(days=1))}. "
                "SOP 5.1: photos and videos every week"
            )
            kind = TaskKind.PRODUCTION_UPDATE
            return _TaskSpec(kind, "production_update", title, why, last, last.add(weeks=1))
        if status == OrderStatus.SHIPPED:
            eta = o.dates["eta"] or self.now
            title = f"Ask {first} whether {o.number} arrived at {p.seed.port}"
            why = f"ETA {self.local_date(eta)}. SOP 5.3: ask about receipt and satisfaction"
            trigger = o.dates["shipped_at"] or o.deposit_at
            return _TaskSpec(TaskKind.ARRIVAL_CHECK, "arrival_check", title, why, trigger, eta)
        inspected = o.dates["inspected_at"] or o.deposit_at
        title = f"Book the vessel for {o.number} and send the shipping notice to {first}"
        why = (
            f"Inspection passed on {self.local_date(inspected)}. SOP 5.2: book the forwarder, "
            "then send B/L, invoice and packing list in time"
        )
        return _TaskSpec(TaskKind.FOLLOW_UP, "manual", title, why, inspected)

    def loyal_task(self, p: _Plan, v: dict[str, str]) -> _TaskSpec:
        draft = next((q for q in p.quotes if q.seed.status == QuoteStatus.DRAFT), None)
        repeat = p.orders[-1]
        delivered = repeat.dates["feedback_at"] or repeat.deposit_at
        first = v["first"]
        if draft is not None:
            title = f"Finish {draft.number} and send it to {first}"
            why = f"Draft since {self.local_date(draft.created_at)}; {first} asked for a PI"
            return _TaskSpec(TaskKind.FOLLOW_UP, "manual", title, why, draft.created_at)
        if p.number % 2:
            title = f"Ask {first} for a review and permission to use {repeat.number} as a case"
            why = (
                f"{repeat.number} arrived and was installed ({self.local_date(delivered)}). "
                "SOP 5.3: collect feedback and pictures"
            )
            kind = TaskKind.FEEDBACK_REQUEST
            return _TaskSpec(kind, "feedback_request", title, why, delivered)
        title = "Ask {first} about the stock of the {product} and the next order".format_map(v)
        why = (
            f"Last order {repeat.number} delivered {self.local_date(delivered)}. "
            "SOP 5.3: predict when their stock runs out"
        )
        return _TaskSpec(TaskKind.NURTURE, "nurture", title, why, delivered)

    def done_tasks(self, p: _Plan) -> list[_TaskSpec]:
        specs: list[_TaskSpec] = []
        replies = [t.at for t in p.touches if t.kind == ActivityKind.REPLY]
        if p.bg_done and p.path[-1] != Stage.LEAD and p.t0 >= self.now.subtract(days=45):
            replied = replies[0] if replies else p.t0
            title = f"Background check on {p.seed.company}"
            why = "New lead. SOP 2.2: check right after replying"
            done = replied.add(minutes=self.rng.randint(30, 90))
            specs.append(
                _TaskSpec(
                    TaskKind.BACKGROUND_CHECK,
                    "background_check",
                    title,
                    why,
                    replied,
                    replied.add(hours=2),
                    done=done,
                )
            )
        for q in p.quotes:
            if q.seed.status == QuoteStatus.SENT and q.sent_at is not None:
                title = f"Send {q.number} to {_first_name(p.seed.person)}"
                why = "Quotation promised within 24 hours (SOP 3.1)"
                trigger = q.created_at.subtract(hours=20)
                spec = _TaskSpec(
                    TaskKind.FOLLOW_UP, "manual", title, why, trigger, q.sent_at, done=q.sent_at
                )
                specs.append(spec)
        for o in p.orders:
            specs.extend(self.done_production_tasks(p, o))
        return specs

    def done_production_tasks(self, p: _Plan, o: _OrderPlan) -> list[_TaskSpec]:
        if o.seed.status != OrderStatus.IN_PRODUCTION:
            return []
        updates = [at for kind, at, _note in o.events if kind == "production_update"]
        if not updates:
            return []
        at = updates[-1]
        title = f"Send weekly production photos for {o.number} to {_first_name(p.seed.person)}"
        why = "SOP 5.1: photos and videos every week"
        due = at.subtract(minutes=30)
        kind = TaskKind.PRODUCTION_UPDATE
        return [
            _TaskSpec(kind, "production_update", title, why, at.subtract(weeks=1), due, done=at)
        ]

    def due_at(self, trigger: pendulum.DateTime) -> pendulum.DateTime:
        """The next bucket in turn (overdue, earlier today …), if it falls after the trigger."""
        bucket = BUCKETS[self.bucket % len(BUCKETS)]
        self.bucket += 1
        for candidate in BUCKET_FALLBACK[bucket]:
            due = self.bucket_time(candidate)
            if due >= trigger.add(minutes=30):
                return due
        return self.bucket_time("later")

    def bucket_time(self, bucket: str) -> pendulum.DateTime:
        local_now = self.now.in_timezone(REP_ZONE)
        start = local_now.start_of("day").in_timezone("UTC")
        end = local_now.start_of("day").add(days=1).in_timezone("UTC").subtract(minutes=15)
        if bucket == "overdue":
            days = self.rng.randint(1, 3)
            return self.now.subtract(days=days, hours=self.rng.randint(0, 5))
        if bucket == "earlier":
            return _between(start, self.now, self.rng.uniform(0.3, 0.9))
        if bucket == "later":
            return _between(self.now, end, self.rng.uniform(0.15, 0.85))
        days = self.rng.randint(1, 6)
        return local_now.add(days=days).at(10, self.rng.choice((0, 15, 30))).in_timezone("UTC")

    # -- writing one customer -------------------------------------------------------------------

    def write_customer(self, p: _Plan) -> None:
        tasks = self.plan_tasks(p)
        pending = sorted((t for t in tasks if t.done is None), key=lambda t: t.due or self.now)
        times = [t.at for t in p.touches] + [i.received_at for i in p.inquiries]
        row = self.customer_row(p, max(times), pending[0] if pending else None)
        customer_id = Customer.insert(row).execute()
        contact_id = self.write_contacts(p, customer_id)
        inquiry_ids = self.write_inquiries(p, customer_id, contact_id)
        self.write_quotes(p, customer_id, inquiry_ids)
        self.write_orders(p, customer_id)
        if p.seed.company == SAMPLE_FOR:
            self.write_sample(customer_id, p)
        self.collect_timeline(p, customer_id, inquiry_ids)
        self.collect_tasks(tasks, customer_id, inquiry_ids)

    def customer_row(
        self, p: _Plan, last: pendulum.DateTime, follow_up: _TaskSpec | None
    ) -> dict[str, Any]:
        c = p.seed
        domain = _domain(c.email)
        return {
            "number": p.number,
            "company": c.company,
            "name": c.person,
            "country": c.country,
            "timezone": p.zone,
            "website": f"https://www.{domain}" if domain else "",
            "email_domain": domain,
            "source": Channel(c.source),
            "buyer_type": BuyerType(c.buyer),
            "potential": Potential(c.potential),
            "stage": p.path[-1],
            "stage_since": p.times[-1],
            "lost_reason": LostReason(c.lost) if c.lost else None,
            "expected_value": Decimal(c.value) if c.value else None,
            "expected_currency": c.currency,
            "first_contact_at": p.t0,
            "last_activity_at": last,
            "next_follow_up_at": follow_up.due if follow_up else None,
            "next_follow_up_plan": follow_up.title if follow_up else "",
            "background_check_done": p.bg_done,
            "platform_profile": p.profile,
            "notes": c.notes,
            "tags": "key-account" if c.potential == Potential.A else "",
            "owner": self.rep_id,
            "created_at": p.t0,
            "updated_at": last,
        }

    def write_contacts(self, p: _Plan, customer_id: int) -> int:
        c = p.seed
        whatsapp = c.phone if c.country in WHATSAPP_COUNTRIES or c.source == "whatsapp" else ""
        primary = {
            "customer": customer_id,
            "name": c.person,
            "role": c.role,
            "email": c.email,
            "phone": c.phone,
            "whatsapp": whatsapp,
            "wechat": "wangjg_lagos" if c.lang == "zh" else "",
            "is_primary": True,
        }
        contact_id: int = Contact.insert(_stamp(primary, p.t0)).execute()
        second = SECOND_CONTACTS.get(c.company)
        if second is not None:
            name, role, email, phone = second
            row = {"customer": customer_id, "name": name, "role": role, "email": email}
            row.update(phone=phone, is_primary=False)
            Contact.insert(_stamp(row, p.times[-1])).execute()
        return contact_id

    def write_inquiries(self, p: _Plan, customer_id: int, contact_id: int) -> list[int]:
        c = p.seed
        ids = []
        for i in p.inquiries:
            product = _product(i.sku)
            row = {
                "customer": customer_id,
                "contact": contact_id,
                "owner": self.rep_id,
                "channel": i.channel,
                "received_at": i.received_at,
                "buyer_name": c.person,
                "buyer_email": c.email,
                "buyer_phone": c.phone if i.channel == Channel.WHATSAPP else "",
                "company": c.company,
                "country": c.country,
                "subject": i.subject,
                "body": i.body,
                "products": product.name,
                "quantity": f"{i.qty} {product.unit}",
                "port": i.port,
                "content_hash": _content_hash(i.body, i.received_at),
                "first_reply_at": i.first_reply_at,
                "created_at": i.received_at,
                "updated_at": i.first_reply_at or i.received_at,
            }
            ids.append(Inquiry.insert(row).execute())
        return ids

    def write_quotes(self, p: _Plan, customer_id: int, inquiry_ids: list[int]) -> None:
        for q in p.quotes:
            incoterm = Incoterm(q.seed.incoterm)
            earlier = [n for n, i in enumerate(p.inquiries) if i.received_at <= q.created_at]
            lead = max(_product(sku).lead_time_days for sku, _qty in q.seed.lines)
            row = {
                "year": q.created_at.year,
                "seq": q.seq,
                "customer": customer_id,
                "inquiry": inquiry_ids[earlier[-1]] if earlier else None,
                "owner": self.rep_id,
                "status": QuoteStatus(q.seed.status),
                "currency": q.currency,
                "incoterm": incoterm,
                "port": _quote_port(incoterm, p.seed.port),
                "payment_terms": PAYMENT_TERMS,
                "lead_time": f"{lead} days after deposit",
                "packing": "Export cartons on pallets, shipping marks as per your request",
                "valid_until": q.valid_until,
                "notes": "Price based on the current aluminium cost.",
                "sent_at": q.sent_at,
                "updated_at": q.sent_at or q.created_at,
            }
            q.id = Quote.insert(_stamp(row, q.created_at)).execute()
            lines = [
                _stamp(
                    {
                        "quote": q.id,
                        "product": self.product_ids[sku],
                        "description": f"{_product(sku).name}: {_product(sku).specs}",
                        "quantity": Decimal(qty),
                        "unit": _product(sku).unit,
                        "unit_price": _unit_price(sku, qty, q.currency),
                    },
                    q.created_at,
                )
                for sku, qty in q.seed.lines
            ]
            QuoteLine.insert_many(lines).execute()

    def write_orders(self, p: _Plan, customer_id: int) -> None:
        for o in p.orders:
            total = _total(o.lines, o.currency)
            completed = o.seed.status == OrderStatus.COMPLETED
            row: dict[str, Any] = {
                "number": o.number,
                "customer": customer_id,
                "quote": o.quote.id if o.quote else None,
                "owner": self.rep_id,
                "status": OrderStatus(o.seed.status),
                "total": total,
                "currency": o.currency,
                "deposit_amount": (total * Decimal("0.3")).quantize(CENT),
                "inspected_by": "SGS" if p.seed.potential == "A" else "Brightlight QC",
                "inspection_result": "AQL 2.5 passed" if o.dates["inspected_at"] else "",
                "vessel": o.vessel,
                "bl_number": o.bl_number,
                "feedback_rating": (5 if p.number % 3 else 4) if completed else None,
                "feedback_text": FEEDBACK if completed else "",
                "case_permission": completed and p.seed.potential == "A",
            }
            row.update(o.dates)
            if not o.dates["inspected_at"]:
                row["inspected_by"] = ""
            row["updated_at"] = max(at for at in o.dates.values() if at and at <= self.now)
            order_id = Order.insert(_stamp(row, o.dates["ordered_at"] or o.deposit_at)).execute()
            self.collect_order_rows(o, order_id)

    def collect_order_rows(self, o: _OrderPlan, order_id: int) -> None:
        for kind, at, note in o.events:
            self.events.append(
                _stamp({"order": order_id, "kind": kind, "at": at, "note": note}, at)
            )
        sent = o.dates["documents_sent_at"]
        if sent is not None:
            for kind in ("bl", "commercial_invoice", "packing_list", "certificate_of_origin"):
                self.documents.append(
                    _stamp({"order": order_id, "kind": kind, "sent_at": sent}, sent)
                )

    def write_sample(self, customer_id: int, p: _Plan) -> None:
        sent = self.sample_sent()
        row = {
            "customer": customer_id,
            "product": self.product_ids[p.sku],
            "paid": False,
            "currency": "USD",
            "freight_by": "customer",
            "courier": "DHL",
            "tracking": SAMPLE_TRACKING,
            "sent_at": sent,
            "delivered_at": sent.add(days=3),
            "refundable_on_order": False,
        }
        Sample.insert(_stamp(row, sent.subtract(days=1))).execute()

    def collect_timeline(self, p: _Plan, customer_id: int, inquiry_ids: list[int]) -> None:
        for t in p.touches:
            row = {
                "customer": customer_id,
                "inquiry": inquiry_ids[t.inquiry] if t.inquiry is not None else None,
                "kind": t.kind,
                "direction": t.direction,
                "at": t.at,
                "subject": t.subject,
                "text": t.text,
                "by": None if t.direction == Direction.IN else self.rep_id,
            }
            self.activities.append(_stamp(row, t.at))
        for n, (stage, at) in enumerate(zip(p.path, p.times, strict=True)):
            row = {
                "customer": customer_id,
                "from_stage": p.path[n - 1] if n else None,
                "to_stage": stage,
                "at": at,
                "by": self.rep_id,
                "reason": p.reasons[n],
            }
            self.stage_changes.append(_stamp(row, at))

    def collect_tasks(
        self, specs: list[_TaskSpec], customer_id: int, inquiry_ids: list[int]
    ) -> None:
        for s in specs:
            row = {
                "customer": customer_id,
                "inquiry": inquiry_ids[s.inquiry] if s.inquiry is not None else None,
                "owner": self.rep_id,
                "kind": s.kind,
                "title": s.title,
                "why": s.why,
                "due_at": s.due,
                "done_at": s.done,
                "source": s.source,
                "created_at": s.trigger,
                "updated_at": s.done or s.trigger,
            }
            self.tasks.append(row)

    def write_bulk(self) -> None:
        for model, rows in (
            (Activity, self.activities),
            (StageChange, self.stage_changes),
            (Task, self.tasks),
            (OrderEvent, self.events),
            (OrderDocument, self.documents),
        ):
            for start in range(0, len(rows), BATCH):
                model.insert_many(rows[start : start + BATCH]).execute()

    # -- store data -----------------------------------------------------------------------------

    def write_store_metrics(self) -> None:
        today = self.now.in_timezone(REP_ZONE).date()
        rows: list[dict[str, Any]] = []
        for back in range(STORE_DAYS, 0, -1):
            day = today.subtract(days=back)
            weekend = day.day_of_week in (5, 6)
            exposure = self.rng.randint(2000, 2900) if weekend else self.rng.randint(2700, 4000)
            clicks = max(60, min(150, int(exposure * self.rng.uniform(0.025, 0.038))))
            rows.append(
                {
                    "day": day,
                    "exposure": exposure,
                    "clicks": clicks,
                    "inquiries": self.rng.randint(2, 5) if weekend else self.rng.randint(4, 9),
                    "tm_chats": self.rng.randint(3, 14),
                    "visitors": int(clicks * self.rng.uniform(1.3, 1.8)),
                    "created_at": self.day_end(day),
                    "updated_at": self.day_end(day),
                }
            )
        StoreMetrics.insert_many(rows).execute()
        self.store_exposure = {row["day"]: row["exposure"] for row in rows}

    def day_end(self, day: date) -> pendulum.DateTime:
        local = pendulum.datetime(day.year, day.month, day.day, 23, 50, tz=REP_ZONE)
        return local.in_timezone("UTC")

    def write_product_metrics(self) -> None:
        rows = []
        for day, exposure in list(self.store_exposure.items())[-PRODUCT_DAYS:]:
            for p in PRODUCTS:
                share, converts = PRODUCT_SHARE[p.sku]
                seen = int(exposure * share * self.rng.uniform(0.8, 1.2))
                clicks = int(seen * self.rng.uniform(0.02, 0.04))
                inquiries = self.rng.randint(0, 2) if converts and clicks else 0
                rows.append(
                    {
                        "day": day,
                        "product": self.product_ids[p.sku],
                        "product_name": p.name,
                        "exposure": seen,
                        "clicks": clicks,
                        "inquiries": inquiries,
                        "created_at": self.day_end(day),
                        "updated_at": self.day_end(day),
                    }
                )
        ProductMetrics.insert_many(rows).execute()

    def write_rfqs(self) -> None:
        rows = []
        for hours, country, product, quantity, quoted, price, result in RFQS:
            posted = self.now.subtract(hours=hours)
            quoted_at = posted.add(minutes=quoted) if quoted is not None else None
            row = {
                "posted_at": posted,
                "buyer_country": country,
                "product": product,
                "quantity": quantity,
                "quoted_at": quoted_at,
                "price": Decimal(price) if price else None,
                "currency": "USD",
                "result": result,
                "owner": self.rep_id,
            }
            rows.append(_stamp(row, posted))
        Rfq.insert_many(rows).execute()


def _quote_port(incoterm: Incoterm, destination: str) -> str:
    """F-terms name the port of loading; C- and D-terms the destination."""
    if incoterm in (Incoterm.EXW, Incoterm.FCA, Incoterm.FAS, Incoterm.FOB):
        return "Ningbo"
    return destination


def _nurture_key(at: pendulum.DateTime, turn: int) -> str:
    if at.in_timezone(REP_ZONE).month in (12, 1):
        return "nurture_holiday"
    return NURTURE_KEYS[turn % len(NURTURE_KEYS)]
