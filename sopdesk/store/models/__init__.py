"""All models, in dependency order (create_tables order)."""

from sopdesk.store.models.activities import Activity, ChecklistTick, Task
from sopdesk.store.models.catalog import FaqAnswer, Material, PriceTier, Product
from sopdesk.store.models.customers import (
    Contact,
    Customer,
    StageChange,
    format_customer_number,
)
from sopdesk.store.models.inquiries import Inquiry
from sopdesk.store.models.metrics import ProductMetrics, Rfq, StoreMetrics
from sopdesk.store.models.orders import Order, OrderDocument, OrderEvent
from sopdesk.store.models.reps import Rep
from sopdesk.store.models.sales import Quote, QuoteLine, Sample, format_pi_number

ALL_MODELS = [
    Rep,
    Customer,
    Contact,
    StageChange,
    Inquiry,
    Activity,
    Task,
    ChecklistTick,
    Product,
    PriceTier,
    Material,
    FaqAnswer,
    Quote,
    QuoteLine,
    Sample,
    Order,
    OrderEvent,
    OrderDocument,
    StoreMetrics,
    ProductMetrics,
    Rfq,
]

__all__ = [
    "ALL_MODELS",
    "Activity",
    "ChecklistTick",
    "Contact",
    "Customer",
    "FaqAnswer",
    "Inquiry",
    "Material",
    "Order",
    "OrderDocument",
    "OrderEvent",
    "PriceTier",
    "Product",
    "ProductMetrics",
    "Quote",
    "QuoteLine",
    "Rep",
    "Rfq",
    "Sample",
    "StageChange",
    "StoreMetrics",
    "Task",
    "format_customer_number",
    "format_pi_number",
]
