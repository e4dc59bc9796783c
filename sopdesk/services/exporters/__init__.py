"""Exporters: the store out to files people open elsewhere (the customer sheet in Excel …).

Each reads in bounded windows (keyset pagination), so exporting 20,000 customers never loads them
all at once, and writes what the matching importer reads back unchanged (round trip).
"""
