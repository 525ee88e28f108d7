//! The curation dashboard page: which event, tab and sort a form came from (its `back`), and the
//! page again with a refused form as typed and the reason at its field.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use std::collections::HashMap;

use serde::Deserialize;

use crate::app::docs::finding::DocSuggestion;
use crate::app::{self, moderation::curation};
use crate::domain::QuestionStatus;
use crate::views::moderation::dashboard::dashboard_page;
use crate::views::moderation::dashboard_view::{AnswerDraft, DashboardView, EditDraft};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/mod/e/{slug}",
        Access::Moderator,
        web::to(dashboard),
    )]
}

#[derive(Deserialize)]
struct DashboardQuery {
    tab: Option<String>,
    sort: Option<String>,
    /// A question just rejected from this page: it left the list, so the page says so.
    rejected: Option<i64>,
    /// Questions just merged from this page (`3,4`): the page says so, with the undo.
    merged: Option<String>,
}

/// Which dashboard page: the event, the tab and the sort order.
pub(crate) struct DashboardAddress {
    pub(crate) slug: String,
    tab: Option<String>,
    sort: Option<String>,
    rejected: Option<i64>,
    merged: Vec<i64>,
}

impl DashboardAddress {
    /// From a `/mod/e/{slug}?tab=…&sort=…` path (a form's `back`).
    pub(crate) fn from_path(back: &str) -> Self {
        let path = back.split('#').next().unwrap_or_default();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .map(str::to_owned)
        };
        Self {
            slug: path.strip_prefix("/mod/e/").unwrap_or_default().to_owned(),
            tab: param("tab"),
            sort: param("sort"),
            rejected: None,
            merged: Vec::new(),
        }
    }
}

async fn dashboard(
    state: Data,
    slug: web::Path<String>,
    query: web::Query<DashboardQuery>,
    csrf: CsrfToken,
    me: CurrentModerator,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let address = DashboardAddress {
        slug: slug.into_inner(),
        tab: query.tab,
        sort: query.sort,
        rejected: query.rejected,
        merged: merged_ids(query.merged.as_deref()),
    };
    render_dashboard(
        &state,
        &me,
        &address,
        &csrf,
        Drafts::default(),
        StatusCode::OK,
    )
    .await
}

/// A bulk merge names a few questions; anything else in the parameter is ignored.
pub(crate) fn merged_ids(raw: Option<&str>) -> Vec<i64> {
    const AT_MOST: usize = 100;
    raw.unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .take(AT_MOST)
        .collect()
}

/// Forms that came back refused, to show again as typed.
#[derive(Default)]
pub(crate) struct Drafts<'a> {
    pub answer: Option<AnswerDraft<'a>>,
    pub edit: Option<EditDraft<'a>>,
    pub labels: Option<(i64, &'a str, &'a str)>,
    /// A refused merge: the question, the target as typed, why.
    pub merge: Option<(i64, &'a str, &'a str)>,
}

/// Back to the question's row on the dashboard page the form came from.
pub(crate) fn back_to_row(back: &str, question_id: i64) -> HttpResponse {
    see_other(&format!("{back}#q-{question_id}"))
}

/// The dashboard page a refused form came from, with what was typed and why at its place.
pub(crate) async fn refused(
    state: &AppState,
    me: &CurrentModerator,
    back: &str,
    csrf: &CsrfToken,
    drafts: Drafts<'_>,
) -> Result<HttpResponse, PageError> {
    let address = DashboardAddress::from_path(back);
    render_dashboard(
        state,
        me,
        &address,
        csrf,
        drafts,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The dashboard with a message for the whole page (a refused bulk move).
pub(crate) async fn render_dashboard_with_error(
    state: &AppState,
    me: &CurrentModerator,
    address: &DashboardAddress,
    csrf: &CsrfToken,
    message: &str,
) -> Result<HttpResponse, PageError> {
    render_page(
        state,
        me,
        address,
        csrf,
        Drafts::default(),
        Some(message),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

pub(crate) async fn render_dashboard(
    state: &AppState,
    me: &CurrentModerator,
    address: &DashboardAddress,
    csrf: &CsrfToken,
    drafts: Drafts<'_>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    render_page(state, me, address, csrf, drafts, None, status).await
}

async fn render_page(
    state: &AppState,
    me: &CurrentModerator,
    address: &DashboardAddress,
    csrf: &CsrfToken,
    drafts: Drafts<'_>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let dashboard = curation::dashboard(
        &state.db,
        me.0.id,
        &address.slug,
        address.tab.as_deref(),
        address.sort.as_deref(),
    )
    .await?;
    let just_rejected = match address.rejected {
        Some(id) => curation::just_rejected(&state.db, &address.slug, id).await?,
        None => None,
    };
    let just_merged =
        curation::just_merged(&state.db, &address.slug, address.merged.clone()).await?;
    // The whole event's coverage gives both the figure and the open rows' sections.
    let coverage = if state.docs_index.is_empty() {
        None
    } else {
        Some(
            app::docs::coverage::of_event(
                &state.db,
                &state.docs_index,
                &state.meaning(),
                &state.docs_closest,
                dashboard.event.id,
            )
            .await?,
        )
    };
    let in_the_docs: HashMap<i64, DocSuggestion> = coverage
        .iter()
        .flat_map(|coverage| &coverage.covered)
        .filter(|covered| {
            matches!(
                covered.question.status,
                QuestionStatus::Pending | QuestionStatus::Approved
            )
        })
        .filter_map(|covered| Some((covered.question.id, covered.section.clone()?)))
        .collect();
    let docs_figure = coverage
        .as_ref()
        .map(|coverage| (coverage.covered.len(), coverage.questions));
    let markup = dashboard_page(&DashboardView {
        in_the_docs: &in_the_docs,
        docs_figure,
        dashboard: &dashboard,
        just_rejected: just_rejected.as_ref(),
        just_merged: just_merged.as_ref(),
        csrf: &csrf.0,
        error,
        draft: drafts.answer,
        edit_draft: drafts.edit,
        labels_draft: drafts.labels,
        merge_draft: drafts.merge,
        now: app::now(),
    });
    Ok(html(status, markup))
}
