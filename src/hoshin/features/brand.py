"""The brand: REST routes and pages. (Principles: features/principles.py; the mission's analysis:
features/mission.py.)

API (under /api/v1): `POST /brand/check` (JSON) and `POST /brand/check/file` (an uploaded UTF-8
text file), `GET|PUT /brand/attributes`, `GET /brand/image`.
Pages: /brand, /brand/check, /brand/image.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field
from starlette.datastructures import UploadFile as StarletteUpload

from hoshin.api import schemas
from hoshin.api.deps import Context, get_aligner, permit
from hoshin.api.params import form_rows
from hoshin.api.rendering import render
from hoshin.errors import InputError
from hoshin.service import brand
from hoshin.service.auth import can
from hoshin.service.missions import mission_of

__all__ = ["api", "pages"]

api = APIRouter(tags=["brand"])
pages = APIRouter(include_in_schema=False)
MAX_UPLOAD_BYTES = 1_000_000


class BrandCheckRequest(schemas._In):
    # No length limit here: the service refuses overlong text with a message that says what to do.
    text: str
    attributes: list[Annotated[str, Field(min_length=1, max_length=100)]] | None = Field(
        default=None, max_length=50, description="Check only these brand attributes (names)."
    )


class AttributeIn(schemas._In):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    source_phrase: Annotated[str, Field(min_length=1, max_length=500)]


class AttributesUpdate(schemas._In):
    attributes: list[AttributeIn] = Field(max_length=30)


def _decode_upload(data: bytes, name: str) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(f"{name}: larger than {MAX_UPLOAD_BYTES // 1000} kB; upload one text at a time")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 and upload again"
        ) from None


# ---- API ----------------------------------------------------------------------------------------


@api.post("/brand/check")
def api_brand_check(
    body: BrandCheckRequest, ctx: Annotated[Context, Depends(permit("communication.read"))]
) -> dict[str, Any]:
    """Check a text before it is published: score and tier against the mission, each brand attribute
    with the sentences that support or contradict it, contradictions flagged, principle flags."""
    return brand.check_text(ctx.store, ctx.org, body.text, get_aligner(ctx.request), body.attributes)


@api.post("/brand/check/file")
def api_brand_check_file(
    file: Annotated[UploadFile, File(description="A UTF-8 text file")],
    ctx: Annotated[Context, Depends(permit("communication.read"))],
) -> dict[str, Any]:
    """The same check for an uploaded text file (UTF-8, at most 1 MB)."""
    text = _decode_upload(file.file.read(MAX_UPLOAD_BYTES + 1), file.filename or "the upload")
    return brand.check_text(ctx.store, ctx.org, text, get_aligner(ctx.request))


@api.get("/brand/attributes")
def api_attributes(ctx: Annotated[Context, Depends(permit("mission.read"))]) -> list[dict[str, Any]]:
    """The brand attributes with the mission phrase each comes from (`derived` when not yet edited)."""
    return brand.brand_attributes(ctx.store, ctx.org)


@api.put("/brand/attributes")
def api_put_attributes(
    body: AttributesUpdate, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> list[dict[str, Any]]:
    """Replace the brand attributes (stored as a new mission version)."""
    items = [a.model_dump() for a in body.attributes]
    brand.save_brand_attributes(ctx.store, ctx.org, items, ctx.user.username, get_aligner(ctx.request))
    return brand.brand_attributes(ctx.store, ctx.org)


@api.get("/brand/image")
def api_image(ctx: Annotated[Context, Depends(permit("communication.read"))]) -> dict[str, Any]:
    """Image gap: outside voices against the intended brand, per attribute and by month, with quotes."""
    return brand.image_gap(ctx.store, ctx.org, get_aligner(ctx.request))


# ---- pages --------------------------------------------------------------------------------------


@pages.get("/brand", response_class=HTMLResponse)
def brand_page(
    request: Request, ctx: Annotated[Context, Depends(permit("communication.read"))]
) -> HTMLResponse:
    return render(
        request,
        "brand/brand.html",
        {
            "attributes": brand.brand_attributes(ctx.store, ctx.org),
            "mission": mission_of(ctx.store, ctx.org),
            "can_edit": can(ctx.user, "mission.update"),
            "saved": request.query_params.get("saved"),
        },
    )


@pages.post("/brand/attributes")
async def brand_attributes_save(
    request: Request, ctx: Annotated[Context, Depends(permit("mission.update"))]
) -> RedirectResponse:
    rows = form_rows(await request.form(), ("name", "source_phrase"))
    brand.save_brand_attributes(ctx.store, ctx.org, rows, ctx.user.username, get_aligner(request))
    return RedirectResponse("/brand?saved=1", status_code=303)


@pages.get("/brand/check", response_class=HTMLResponse)
def brand_check_page(
    request: Request, ctx: Annotated[Context, Depends(permit("communication.read"))]
) -> HTMLResponse:
    return render(request, "brand/check.html", {"text": "", "result": None})


@pages.post("/brand/check", response_class=HTMLResponse)
async def brand_check_submit(
    request: Request, ctx: Annotated[Context, Depends(permit("communication.read"))]
) -> HTMLResponse:
    form = await request.form()
    try:
        text = form.get("text")
        upload = form.get("file")
        if isinstance(upload, StarletteUpload) and upload.filename:
            text = _decode_upload(await upload.read(MAX_UPLOAD_BYTES + 1), upload.filename)
    finally:
        await form.close()  # an empty file field still arrives as an (unread) upload
    result = brand.check_text(ctx.store, ctx.org, text if isinstance(text, str) else "", get_aligner(request))
    return render(request, "brand/check.html", {"text": text, "result": result})


@pages.get("/brand/image", response_class=HTMLResponse)
def brand_image_page(
    request: Request, ctx: Annotated[Context, Depends(permit("communication.read"))]
) -> HTMLResponse:
    gap = brand.image_gap(ctx.store, ctx.org, get_aligner(request))
    datasets = [{"label": name, "data": values, "spanGaps": True} for name, values in gap["by_month"].items()]
    spec = {
        "type": "line",
        "data": {"labels": gap["months"], "datasets": datasets},
        "options": {"scales": {"y": {"min": 0, "max": 1, "title": {"display": True, "text": "image"}}}},
    }
    columns = ["month", *gap["by_month"]]
    rows = [
        [month, *("" if v[i] is None else v[i] for v in gap["by_month"].values())]
        for i, month in enumerate(gap["months"])
    ]
    return render(request, "brand/image.html", {"gap": gap, "spec": spec, "columns": columns, "rows": rows})
