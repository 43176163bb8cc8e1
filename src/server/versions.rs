//! Works and versions over HTTP: the works, a diff between two versions, a paragraph's lineage,
//! and where a text's wording was used before.

use super::http::{blocking, body_type, parse_object, query, ApiError, ApiResult, NoParams};
use super::AppState;
use crate::errors::{ErrorBody, ErrorCode};
use crate::versions::{align, diff, lineage};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The version endpoints, each with its OpenAPI operation.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(works))
        .routes(routes!(work_diff))
        .routes(routes!(passage_lineage))
        .routes(routes!(passage_languages))
        .routes(routes!(precedent))
        .routes(routes!(cited_by))
        .routes(routes!(document_cites))
        .routes(routes!(most_cited))
}

/// `GET /api/cited-by`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CitedByParams {
    /// The cited text: a symbol (`A/RES/70/125`), or a resolution or decision as texts cite it
    /// (`70/125`).
    #[param(min_length = 1, pattern = r"\S")]
    r#ref: String,
}

/// The documents that cite a text, oldest first, each with the passages that do.
#[utoipa::path(get, path = "/api/cited-by", tag = "versions", params(CitedByParams),
    responses(
        (status = 200, description = "What cites the text", body = crate::versions::citations::CitedBy),
        (status = 400, description = "No `ref`", body = ErrorBody)))]
async fn cited_by(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<crate::versions::citations::CitedBy>> {
    let CitedByParams { r#ref } = query(&q)?;
    let c = blocking(move || crate::versions::citations::cited_by(&st.idx, &r#ref)).await?;
    Ok(Json(c))
}

/// `GET /api/cited`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CitedParams {
    /// Order by citing passages (default) or citing works.
    #[serde(default)]
    by: crate::versions::citations::CitedOrder,
    /// How many texts (1 to 1000, default 20).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(default)]
    limit: Option<u64>,
}

/// The most cited texts, with how many passages, documents and works cite each.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct CitedList {
    cited: Vec<crate::versions::citations::CitedText>,
}

/// The most cited texts of the index: how often and how widely each is cited.
#[utoipa::path(get, path = "/api/cited", tag = "versions", params(CitedParams),
    responses(
        (status = 200, description = "The most cited texts", body = CitedList),
        (status = 400, description = "A bad `by` or `limit`", body = ErrorBody)))]
async fn most_cited(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<CitedList>> {
    let CitedParams { by, limit } = query(&q)?;
    let limit = match limit {
        None => 20,
        Some(n @ 1..=1000) => n as usize,
        Some(n) => {
            return Err(crate::query::search::SearchError::BadParam {
                param: "limit",
                message: format!("{n}: expected 1 to 1000"),
            }
            .into())
        }
    };
    let cited =
        blocking(move || crate::versions::citations::most_cited(&st.idx, by, limit)).await?;
    Ok(Json(CitedList { cited }))
}

/// What a document cites, most cited first, with where.
#[utoipa::path(get, path = "/api/documents/{id}/cites", tag = "versions",
    params(("id" = String, Path, description = "A document id or percent-encoded symbol")),
    responses(
        (status = 200, description = "What the document cites", body = crate::versions::citations::Cites),
        (status = 404, description = "No such document", body = ErrorBody)))]
async fn document_cites(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<crate::versions::citations::Cites>> {
    let NoParams {} = query(&q)?;
    if id.contains(':') {
        return Err(crate::query::search::SearchError::NotFound(format!(
            "`{id}` is a passage id: a document's citations are at /api/documents/DOCUMENT/cites"
        ))
        .into());
    }
    let c = blocking(move || crate::versions::citations::cites(&st.idx, &id)).await?;
    Ok(Json(c))
}

/// `GET /api/works`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct WorkList {
    works: Vec<lineage::WorkSummary>,
}

/// `GET /api/passages/{id}/lineage`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct LineageAnswer {
    work: String,
    passage: String,
    steps: Vec<lineage::Step>,
    statements: Vec<crate::versions::references::Statement>,
}

/// `POST /api/precedent`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct PrecedentAnswer {
    total: usize,
    precedents: Vec<crate::versions::precedent::Precedent>,
}

/// `GET /api/works/{work}/diff`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
    topic: Option<String>,
    q: Option<String>,
    changed: Option<bool>,
}

/// Works (resolutions and their drafts) with their versions, oldest first.
#[utoipa::path(get, path = "/api/works", tag = "versions",
    responses((status = 200, description = "Every work", body = WorkList)))]
async fn works(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<WorkList>> {
    let NoParams {} = query(&q)?;
    let w = blocking(move || lineage::works(&st.idx)).await?;
    Ok(Json(WorkList { works: w }))
}

/// How a work changed between two versions: each paragraph's status and its word-level changes,
/// in the newer version's order.
#[utoipa::path(get, path = "/api/works/{work}/diff", tag = "versions",
    params(("work" = String, Path, description = "A work id, or a document's id or percent-encoded symbol"), DiffParams),
    responses(
        (status = 200, description = "The diff", body = diff::WorkDiff),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such work or version", body = ErrorBody)))]
async fn work_diff(
    State(st): State<AppState>,
    Path(work): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<diff::WorkDiff>> {
    let DiffParams {
        from,
        to,
        topic,
        q,
        changed,
    } = query(&q)?;
    // An empty value is no value, as a form with an empty field sends it.
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (from, to) = (given(from), given(to));
    let narrow = diff::Narrow {
        topic: given(topic),
        q: given(q),
    };
    let mut d =
        blocking(move || diff::diff(&st.idx, &work, from.as_deref(), to.as_deref(), &narrow))
            .await?;
    if changed.unwrap_or(false) {
        d.paragraphs
            .retain(|p| p.status != align::Status::Unchanged);
    }
    Ok(Json(d))
}

/// A paragraph through every version of its work, with the change at each step and the
/// statements that refer to it.
#[utoipa::path(get, path = "/api/passages/{id}/lineage", tag = "versions",
    params(("id" = String, Path, description = "A passage id, `document:seq`")),
    responses(
        (status = 200, description = "The paragraph's lineage", body = LineageAnswer),
        (status = 400, description = "Not a paragraph of a work", body = ErrorBody),
        (status = 404, description = "No such passage", body = ErrorBody)))]
async fn passage_lineage(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<LineageAnswer>> {
    let (l, statements) = blocking(move || {
        let l = lineage::lineage(&st.idx, &id)?;
        let statements = crate::versions::references::statements_about_lineage(&st.idx, &l)?;
        Ok((l, statements))
    })
    .await?;
    Ok(Json(LineageAnswer {
        work: l.work,
        passage: l.passage,
        steps: l.steps,
        statements,
    }))
}

/// A passage in its document's other languages: a resolution's paragraph by its number, a
/// meeting's turn by its order.
#[utoipa::path(get, path = "/api/passages/{id}/languages", tag = "versions",
    params(("id" = String, Path, description = "A passage id, `document:seq`")),
    responses(
        (status = 200, description = "The passage's counterparts in each other language", body = crate::versions::languages::Counterparts),
        (status = 400, description = "A document, not a passage", body = ErrorBody),
        (status = 404, description = "No such passage", body = ErrorBody)))]
async fn passage_languages(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<crate::versions::languages::Counterparts>> {
    let c = blocking(move || crate::versions::languages::counterparts(&st.idx, &id)).await?;
    Ok(Json(c))
}

/// Where this wording was used before: passages that repeat most of the text, with the shared
/// spans marked.
#[utoipa::path(post, path = "/api/precedent", tag = "versions",
    request_body(content = crate::versions::precedent::PrecedentRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Earlier passages, most similar first", body = PrecedentAnswer),
        (status = 400, description = "A body the server cannot read", body = ErrorBody)))]
async fn precedent(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<PrecedentAnswer>> {
    body_type(&headers, false)?;
    let req: crate::versions::precedent::PrecedentRequest = parse_object(&body).map_err(|_| {
        ApiError::new(
            ErrorCode::BadJson,
            "the body is not a valid precedent request",
            Some("send {\"text\": \"…\"} with optional before (YYYY-MM-DD), kind and limit"),
        )
    })?;
    let found = blocking(move || {
        crate::versions::precedent::precedent(&st.idx, &st.idx.reader.searcher(), &req)
    })
    .await?;
    Ok(Json(PrecedentAnswer {
        total: found.len(),
        precedents: found,
    }))
}
