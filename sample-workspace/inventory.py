"""Stock levels for a small shop."""

from dataclasses import dataclass


@dataclass
class Item:
    sku: str
    name: str
    quantity: int
    reorder_at: int


def needs_reorder(items: list[Item]) -> list[Item]:
    """Items whose stock has fallen to or below their reorder level."""
    return [item for item in items if item.quantity <= item.reorder_at]


def restock(item: Item, amount: int) -> Item:
    if amount <= 0:
        raise ValueError("amount must be positive")
    return Item(item.sku, item.name, item.quantity + amount, item.reorder_at)
