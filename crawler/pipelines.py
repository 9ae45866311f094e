"""Write crawl output to the store, in batches, from the one writer process.

Settings: PORTAL_AUDIT_DB (the SQLite file), PORTAL_AUDIT_RUN_ID (the run),
PORTAL_AUDIT_BATCH (rows per write, 200).
"""
from __future__ import annotations

from scrapy.exceptions import NotConfigured

from portal_audit.store import Store


class StorePipeline:
    def __init__(self, db_path, run_id, batch):
        self.store = Store(db_path)
        self.run_id = run_id
        self.batch = batch
        self.buffers = {"page": [], "link_status": [], "column_item": [], "probe": []}

    @classmethod
    def from_crawler(cls, crawler):
        db = crawler.settings.get("PORTAL_AUDIT_DB")
        run_id = crawler.settings.getint("PORTAL_AUDIT_RUN_ID", 0)
        if not db or not run_id:
            raise NotConfigured("PORTAL_AUDIT_DB and PORTAL_AUDIT_RUN_ID are not set")
        return cls(db, run_id, crawler.settings.getint("PORTAL_AUDIT_BATCH", 200))

    def process_item(self, item, spider=None):
        row = dict(item)
        kind = row.pop("_type")
        buf = self.buffers[kind]
        buf.append(row)
        if len(buf) >= self.batch:
            self.flush(kind)
        return item

    def flush(self, kind):
        rows, self.buffers[kind] = self.buffers[kind], []
        if not rows:
            return
        if kind == "page":
            self.store.add_pages(self.run_id, rows)
        elif kind == "link_status":
            self.store.add_link_statuses(self.run_id, rows)
        elif kind == "probe":
            self.store.add_probes(self.run_id, rows)
        else:
            self.store.add_column_items(self.run_id, rows)

    def close_spider(self, spider=None):
        for kind in list(self.buffers):
            self.flush(kind)
