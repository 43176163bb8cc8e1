//! Documents and passages over HTTP: a passage in its context, a document whole, the list of
//! documents, the corpus at a glance, counts by facet and by speaker, and liveness.

use super::http::{blocking, query, ApiResult, NoParams};
use super::AppState;
use crate::errors::ErrorBody;
use crate::index::{DocumentRef, StoredPassage};
use crate::query::search::{self, SearchError};
use crate::query::stats;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The document endpoints, each with its OpenAPI operation.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(passage))
        .routes(routes!(documents))
        .routes(routes!(document))
        .routes(routes!(overview))
        .routes(routes!(facets))
        .routes(routes!(speakers))
}

/// `GET /api/passages/{id}`: the passage, its context, and its references both ways.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct PassageAnswer {
    passage: Option<StoredPassage>,
    document: DocumentRef,
    /// The passages around it, in order, itself included.
    context: Vec<StoredPassage>,
    /// The paragraphs a statement names.
    refers_to: Option<Vec<crate::versions::references::Resolved>>,
    /// The statements that name this paragraph.
    statements: Option<Vec<crate::versions::references::Statement>>,
}

/// `GET /api/documents`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct DocumentList {
    total: usize,
    documents: Vec<stats::DocumentSummary>,
}

/// `GET /api/documents/{id}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct DocumentAnswer {
    document: DocumentRef,
    passages: Vec<StoredPassage>,
    /// The document in each language the index holds it in (itself included); empty when one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    languages: Vec<crate::versions::languages::LanguageVersion>,
}

/// `GET /api/facets`: passage counts by value, over the whole index.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct FacetsAnswer {
    documents: u64,
    passages: u64,
    facets: search::Facets,
}

/// `GET /api/passages/{id}`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PassageParams {
    /// Passages on each side (0–50).
    #[param(minimum = 0, maximum = 50)]
    context: Option<usize>,
}

/// `GET /api/speakers`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SpeakersParams {
    doc: Option<String>,
}

/// Liveness: the server answers, and how many passages it serves.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Health {
    status: &'static str,
    passages: u64,
    version: &'static str,
}

/// Liveness and passage count.
#[utoipa::path(get, path = "/api/health", tag = "index",
    responses((status = 200, description = "The server answers", body = Health)))]
async fn health(State(st): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        passages: st.idx.reader.searcher().num_docs(),
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// A passage with N passages before and after it, the paragraphs it refers to and the
/// statements that refer to it.
#[utoipa::path(get, path = "/api/passages/{id}", tag = "documents",
    params(("id" = String, Path, description = "A passage id, `document:seq`"), PassageParams),
    responses(
        (status = 200, description = "The passage in its context", body = PassageAnswer),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such passage", body = ErrorBody)))]
async fn passage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<PassageAnswer>> {
    let PassageParams { context } = query(&q)?;
    let context = context.unwrap_or(0);
    if context > 50 {
        return Err(SearchError::BadParam {
            param: "context",
            message: format!("`{context}`: expected a number from 0 to 50"),
        }
        .into());
    }
    if !id.contains(':') {
        return Err(
            SearchError::NotFound(format!("`{id}` is not a passage id (document:seq)")).into(),
        );
    }
    let (shown, links) = blocking(move || {
        let shown = stats::show(&st.idx, &id, context)?;
        let focus = shown
            .passages
            .iter()
            .find(|p| Some(&p.id) == shown.focus.as_ref());
        let links = match focus {
            Some(p) => Some(crate::versions::references::links(&st.idx, p)?),
            None => None,
        };
        Ok::<_, SearchError>((shown, links))
    })
    .await?;
    let p = shown
        .passages
        .iter()
        .find(|p| Some(&p.id) == shown.focus.as_ref())
        .cloned();
    let (refers_to, statements) =
        links.map_or((None, None), |l| (Some(l.refers_to), Some(l.statements)));
    Ok(Json(PassageAnswer {
        passage: p,
        document: shown.document,
        context: shown.passages,
        refers_to,
        statements,
    }))
}

/// Documents with kind, work, version, date and passage counts.
#[utoipa::path(get, path = "/api/documents", tag = "documents",
    responses((status = 200, description = "Every document", body = DocumentList)))]
async fn documents(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<DocumentList>> {
    let NoParams {} = query(&q)?;
    let documents = blocking(move || stats::documents(&st.idx)).await?;
    Ok(Json(DocumentList {
        total: documents.len(),
        documents,
    }))
}

/// A document's metadata and passages in order.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "A document id")),
    responses(
        (status = 200, description = "The document and its passages", body = DocumentAnswer),
        (status = 404, description = "No such document", body = ErrorBody)))]
async fn document(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentAnswer>> {
    if id.contains(':') {
        return Err(SearchError::NotFound(format!(
            "`{id}` is a passage id: use /api/passages/{id}"
        ))
        .into());
    }
    let (shown, languages) = blocking(move || {
        let shown = stats::show(&st.idx, &id, 0)?;
        let languages = crate::versions::languages::language_versions(&st.idx, &shown.passages)?;
        Ok((shown, languages))
    })
    .await?;
    Ok(Json(DocumentAnswer {
        document: shown.document,
        passages: shown.passages,
        languages,
    }))
}

/// The corpus at a glance, for the home page: works with their versions, meetings with their
/// participants, submissions by entity, the latest documents, and searches worth trying.
#[utoipa::path(get, path = "/api/overview", tag = "index",
    responses((status = 200, description = "The corpus at a glance", body = crate::services::overview::Overview)))]
async fn overview(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let NoParams {} = query(&q)?;
    // Computed once per state of the index (and per index: a process may serve several): it
    // reads every passage.
    type Cached = std::sync::Mutex<Option<(std::path::PathBuf, u64, Bytes)>>;
    static CACHE: Cached = std::sync::Mutex::new(None);
    let body = blocking(move || {
        let generation = st.idx.reader.searcher().generation().generation_id();
        if let Some((dir, g, b)) = CACHE.lock().ok().and_then(|c| c.clone()) {
            if g == generation && dir == st.idx.dir {
                return Ok(b);
            }
        }
        let o = crate::services::overview::overview(&st.idx)?;
        let b =
            Bytes::from(serde_json::to_vec(&o).map_err(|e| SearchError::Internal(e.to_string()))?);
        if let Ok(mut c) = CACHE.lock() {
            *c = Some((st.idx.dir.clone(), generation, b.clone()));
        }
        Ok(b)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Agencies, speakers, topics, versions, works, kinds and languages with passage counts.
#[utoipa::path(get, path = "/api/facets", tag = "index",
    responses((status = 200, description = "Counts over the whole index", body = FacetsAnswer)))]
async fn facets(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<FacetsAnswer>> {
    let NoParams {} = query(&q)?;
    let s = blocking(move || stats::stats(&st.idx)).await?;
    Ok(Json(FacetsAnswer {
        documents: s.documents,
        passages: s.passages,
        facets: s.by,
    }))
}

/// Speakers and agencies with passage counts, by how each passage was attributed.
#[utoipa::path(get, path = "/api/speakers", tag = "index", params(SpeakersParams),
    responses(
        (status = 200, description = "Speakers and agencies", body = stats::Speakers),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody)))]
async fn speakers(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<stats::Speakers>> {
    let SpeakersParams { doc } = query(&q)?;
    let s = blocking(move || stats::speakers(&st.idx, doc.as_deref())).await?;
    Ok(Json(s))
}
