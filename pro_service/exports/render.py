"""Render any dataset in any of its formats as a byte stream, and audit each export.

One entry point serves the streamed API downloads, the background export files and the
frozen data cuts, so a cut's file is the very same bytes as a download with the same
`as_of` and filters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pro_service.audit.service import record_event
from pro_service.core.db import unit_of_work
from pro_service.core.errors import InvalidInput, NotFound
from pro_service.exports import datasets, service
from pro_service.exports.domain.catalog import (
    DICTIONARY_COLUMNS,
    ITEMS,
    SAFETY,
    SCORES,
    Dataset,
    dictionary_rows,
    qs_dataset,
)
from pro_service.exports.domain.encode import (
    Counter,
    csv_stream,
    dataset_json,
    dictionary_html,
    json_stream,
)
from pro_service.exports.domain.sdtm_qs import QS_COLUMNS
from pro_service.instruments.domain.definitions import Instrument
from pro_service.schedule.domain.protocol import Protocol
from pro_service.staff.models import StaffUser

FORMATS: dict[str, tuple[str, ...]] = {
    "scores": ("csv", "json"), "items": ("csv", "json"), "wide": ("csv", "json"),
    "safety": ("csv", "json"), "qs": ("csv", "json", "xpt", "dataset-json"),
    "dictionary": ("csv", "html"),
}
_TYPES = {"csv": "text/csv", "json": "application/json", "xpt": "application/octet-stream",
          "dataset-json": "application/json", "html": "text/html"}
_SUFFIX = {"csv": "csv", "json": "json", "xpt": "xpt", "dataset-json": "dataset.json",
           "html": "html"}
FILTER_KEYS = ("site", "timepoint", "instrument", "scale", "since", "until")


class UnknownExport(NotFound):
    pass


class FutureCut(InvalidInput):
    pass


@dataclass
class Context:
    """What every dataset needs besides the caller and filters."""

    protocol: Protocol
    instruments: Mapping[str, Instrument]
    source_version: str = "pro-service"


@dataclass
class Rendered:
    dataset: str
    format: str
    filename: str
    content_type: str
    chunks: Iterator[bytes]
    counter: Counter = field(default_factory=Counter)


def resolve_as_of(filters: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The filters with `as_of` filled in (now when absent); a cut in the future is refused."""
    as_of = filters.get("as_of") or now
    if as_of > now:
        raise FutureCut("as_of is in the future: a cut can only show data that already exists")
    return {**{k: v for k, v in filters.items() if v is not None}, "as_of": as_of}


def completion(staff: StaffUser, filters: Mapping[str, Any], *, now: datetime,
               protocol: Protocol) -> tuple[datetime, list[dict[str, Any]]]:
    """The instant the figures describe and the completion rows: now, or the cut `as_of`
    (a cut in the future is refused)."""
    if filters.get("as_of") is None:
        return now, service.completion_rows(staff, filters, now=now, protocol=protocol)
    cut = resolve_as_of(filters, now)
    return cut["as_of"], datasets.completion_at(staff, cut, protocol=protocol)


def spec_of(dataset: str, ctx: Context) -> Dataset:
    """The dictionary entry (variables in column order) of a dataset."""
    specs: dict[str, Callable[[], Dataset]] = {
        "scores": lambda: SCORES, "items": lambda: ITEMS, "safety": lambda: SAFETY,
        "wide": lambda: datasets.wide_spec(ctx.instruments), "qs": lambda: qs_dataset(QS_COLUMNS)}
    if dataset not in specs:
        raise UnknownExport(f"no dataset {dataset!r}")
    return specs[dataset]()


def all_specs(ctx: Context) -> list[Dataset]:
    return [spec_of(name, ctx) for name in ("scores", "items", "wide", "safety", "qs")]


def _rows(dataset: str, staff: StaffUser, filters: Mapping[str, Any],
          ctx: Context) -> Iterator[dict[str, Any]]:
    if dataset == "scores":
        return service.iter_score_rows(staff, filters)
    if dataset == "items":
        return datasets.iter_item_rows(staff, filters, instruments=ctx.instruments)
    if dataset == "wide":
        return datasets.iter_wide_rows(staff, filters, protocol=ctx.protocol,
                                       instruments=ctx.instruments)
    if dataset == "safety":
        return datasets.iter_safety_rows(staff, filters)
    return service.iter_qs_rows(staff, filters, protocol=ctx.protocol,
                                instruments=ctx.instruments)


def _questionnaires(ctx: Context) -> list[dict[str, str]]:
    return [{"code": i.code, "version": i.version, "title": i.title.get("en", i.code),
             "recall": i.recall_period.get("en", "")} for i in ctx.instruments.values()]


def render(dataset: str, fmt: str, staff: StaffUser, filters: Mapping[str, Any], ctx: Context,
           *, end_line: bool = True) -> Rendered:
    """The bytes of one dataset in one format for this caller, filters and `as_of`."""
    if fmt not in FORMATS.get(dataset, ()):
        raise UnknownExport(f"no format {fmt!r} for dataset {dataset!r}")
    name = f"{dataset}.{_SUFFIX[fmt]}"
    out = Rendered(dataset, fmt, name, _TYPES[fmt], iter(()))
    as_of = service.as_of_of(filters)
    if dataset == "dictionary":
        rows = dictionary_rows(all_specs(ctx))
        if fmt == "html":
            out.counter.rows = len(rows)
            out.chunks = iter([dictionary_html(rows, title=f"{ctx.protocol.code} data dictionary",
                                               questionnaires=_questionnaires(ctx),
                                               as_of=as_of.isoformat())])
        else:
            out.chunks = csv_stream(DICTIONARY_COLUMNS, rows, counter=out.counter,
                                    end_line=end_line)
        return out
    spec = spec_of(dataset, ctx)
    rows = _rows(dataset, staff, filters, ctx)
    if fmt == "csv":
        out.chunks = csv_stream(spec.columns, rows, counter=out.counter, end_line=end_line)
    elif fmt == "json":
        meta = {"dataset": dataset, "as_of": as_of, "filters": _public(filters)}
        out.chunks = json_stream(meta, spec.columns, rows, counter=out.counter)
    else:
        out.chunks = _submission(fmt, spec, rows, out.counter, as_of, ctx)
    return out


def _submission(fmt: str, spec: Dataset, rows: Iterator[dict[str, Any]], counter: Counter,
                as_of: datetime, ctx: Context) -> Iterator[bytes]:
    materialised = list(counter.through(rows))
    if fmt == "xpt":
        from pro_service.exports.submission import xpt_bytes

        yield xpt_bytes(spec, materialised, at=as_of)
    else:
        yield dataset_json(spec, materialised, created=as_of, study_oid=ctx.protocol.code,
                           originator="pro-service", source_version=ctx.source_version)


def _public(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in filters.items() if k in FILTER_KEYS and v is not None}


def audit_export(staff: StaffUser, rendered: Rendered, filters: Mapping[str, Any], *,
                 now: datetime, via: str, complete: bool = True) -> None:
    """One `export.download` audit event: who, what, filters, cut, row count, when."""
    with unit_of_work():
        record_event(actor=f"staff:{staff.id}", action="export.download", entity_type="dataset",
                     entity_id=rendered.dataset, now=now,
                     after={"dataset": rendered.dataset, "format": rendered.format,
                            "filters": _public(filters),
                            "as_of": service.as_of_of(filters).isoformat(),
                            "rows": rendered.counter.rows, "via": via, "complete": complete})


def audited(staff: StaffUser, rendered: Rendered, filters: Mapping[str, Any], *,
            clock: Callable[[], datetime], via: str) -> Iterator[bytes]:
    """Pass the bytes through; once the stream ends (or is abandoned) record the access."""
    complete = False
    try:
        yield from rendered.chunks
        complete = True
    finally:
        audit_export(staff, rendered, filters, now=clock(), via=via, complete=complete)
