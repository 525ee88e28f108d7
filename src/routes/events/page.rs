//! An event's page. Everyone's view of it is rendered once per change and kept (see
//! `web::responses::page_cache`); a reader who voted or asked here gets that same page with their own rows
//! and questions put in, never a page rendered for them alone. Only the moments that belong to
//! one browser (the notice right after asking, a question carried over from the FAQ search, a
//! refused form) render the page for one reader.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;

use crate::app;
use crate::app::events::page::{EventQuestions, ListedQuestion, ReaderMarks};
use crate::domain::{LabelName, QuestionBody};
use crate::error::AppError;
use crate::routes::asking::visitor::{follow_url, Visitor};
use crate::views;
use crate::views::asking::ask_form::AskForm;
use crate::views::events::event::{EventPageView, JustAsked, ListTab, Personal};
use crate::views::events::event_parts::{self, EventPageParts};
use crate::web::extract::typed_text::clean;
use crate::web::responses::errors::PageError;
use crate::web::responses::page_cache::{Lookup, PageCache};
use crate::web::responses::rendered_page::RenderedPage;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/e/{slug}",
        Access::Public,
        web::to(event_page),
    )]
}

#[derive(Deserialize)]
struct EventQuery {
    sort: Option<String>,
    asked: Option<i64>,
    /// A question to start from (a FAQ search that found nothing), put in the ask form.
    ask: Option<String>,
    /// Only the questions with this label.
    label: Option<String>,
}

async fn event_page(
    req: HttpRequest,
    state: Data,
    pages: web::Data<EventPages>,
    slug: web::Path<String>,
    query: web::Query<EventQuery>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let visitor = Visitor::from_request(&req, &state);
    let label = query
        .label
        .as_deref()
        .map(|label| clean(label, LabelName::MAX_CHARS))
        .filter(|label| !label.is_empty());
    if query.asked.is_some() || query.ask.is_some() {
        let form = AskForm {
            body: query
                .ask
                .as_deref()
                .map(|text| clean(text, QuestionBody::MAX_CHARS))
                .unwrap_or_default(),
            ..AskForm::default()
        };
        let view = EventView {
            slug: &slug,
            sort: query.sort.as_deref(),
            label: label.as_deref(),
            form,
            just_asked_id: query.asked,
            status: StatusCode::OK,
        };
        return render_for_one_reader(&state, &visitor, &csrf, view).await;
    }
    let tab = ListTab::from_query(query.sort.as_deref()).unwrap_or(ListTab::Top);
    let key = EventPageKey {
        slug: slug.into_inner(),
        tab,
        label,
    };
    let (everyones, lookup) = pages.get(&state, key).await?;
    let marks = app::events::page::reader_marks(
        &state.db,
        everyones.data.event.id,
        visitor.voter_hash(),
        visitor.mine_ids(),
    )
    .await?;
    if marks.is_empty() {
        state.metrics.count_page(PAGE, lookup);
        return Ok(everyones.page.respond(&req));
    }
    state.metrics.count_page(PAGE, Lookup::Personal);
    let mut response = HttpResponse::Ok();
    response.content_type(header::ContentType::html());
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(response.body(everyones.with_marks(&state, &visitor, &marks)))
}

const PAGE: &str = "event";

/// Which of an event's pages: tab and label filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventPageKey {
    slug: String,
    tab: ListTab,
    label: Option<String>,
}

/// Everyone's page of an event, and what it was made of, to put a reader's own part into.
pub struct EveryonesEventPage {
    data: EventQuestions,
    tab: ListTab,
    label: Option<String>,
    now: NaiveDateTime,
    page_url: String,
    parts: EventPageParts,
    page: RenderedPage,
}

/// The kept pages of events, and which event each address is (to know what changed it without
/// reading the database).
pub struct EventPages {
    pages: PageCache<EventPageKey, EveryonesEventPage>,
    event_ids: Mutex<HashMap<String, i64>>,
}

/// Three tabs of each label of the events people are watching.
const KEPT_EVENT_PAGES: usize = 300;

impl Default for EventPages {
    fn default() -> Self {
        Self {
            pages: PageCache::with_capacity(KEPT_EVENT_PAGES),
            event_ids: Mutex::default(),
        }
    }
}

impl EventPages {
    fn event_ids(&self) -> std::sync::MutexGuard<'_, HashMap<String, i64>> {
        // A map of plain numbers stays usable after a panic elsewhere.
        self.event_ids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn get(
        &self,
        state: &AppState,
        key: EventPageKey,
    ) -> Result<(Arc<EveryonesEventPage>, Lookup), AppError> {
        let known = self.event_ids().get(&key.slug).copied();
        let event_id = match known {
            Some(event_id) => event_id,
            None => {
                let event = app::events::listing::find_public_event(&state.db, &key.slug).await?;
                self.event_ids().insert(key.slug.clone(), event.id);
                event.id
            }
        };
        if key.label.is_some() {
            let unfiltered = EventPageKey {
                label: None,
                ..key.clone()
            };
            let (unfiltered, _) = Box::pin(self.get(state, unfiltered)).await?;
            let known = key.label.as_ref().is_some_and(|wanted| {
                unfiltered
                    .data
                    .labels
                    .values()
                    .any(|labels| labels.iter().any(|label| label == wanted))
            });
            if !known {
                // A label no question carries is rendered on demand, not kept: the address is
                // the visitor's to make up, the memory is ours.
                return Ok((Arc::new(render_everyones(state, &key).await?), Lookup::Miss));
            }
        }
        let stamp = state.bus.stamp_of_event(event_id);
        self.pages
            .get_or_render(key.clone(), stamp, || render_everyones(state, &key))
            .await
    }
}

async fn render_everyones(
    state: &AppState,
    key: &EventPageKey,
) -> Result<EveryonesEventPage, AppError> {
    let data =
        app::events::page::everyones_questions(&state.db, &key.slug, key.tab.order()).await?;
    let page_url = format!("{}/e/{}", state.public_base, data.event.slug);
    let tab = key.tab;
    let label = key.label.clone();
    let now = app::now();
    let offers_mail = state.offers_mail;
    web::block(move || {
        let no_follow_urls = HashMap::new();
        let form = AskForm::default();
        let view = EventPageView {
            data: &data,
            tab,
            label: label.as_deref(),
            csrf: "",
            form: &form,
            just_asked: None,
            my_follow_urls: &no_follow_urls,
            now,
            page_url: &page_url,
            personal: Personal::Slots,
            offers_mail,
        };
        let parts = event_parts::event_page_parts(&view).ok_or_else(|| {
            AppError::internal(
                "rendering an event page",
                "a slot for a reader's part is gone",
            )
        })?;
        let page = RenderedPage::html(parts.everyones_page())
            .map_err(|error| AppError::internal("compressing an event page", error))?;
        Ok(EveryonesEventPage {
            data,
            tab,
            label,
            now,
            page_url,
            parts,
            page,
        })
    })
    .await
    .map_err(|error| AppError::internal("rendering an event page", error))?
}

impl EveryonesEventPage {
    /// Everyone's page with this reader's rows (voted, asked) and unlisted questions put in.
    fn with_marks(&self, state: &AppState, visitor: &Visitor, marks: &ReaderMarks) -> String {
        let my_follow_urls: HashMap<i64, String> = visitor
            .mine
            .iter()
            .filter(|mine| marks.mine.contains(&mine.id))
            .map(|mine| (mine.id, follow_url(state, &mine.follow_token)))
            .collect();
        let form = AskForm::default();
        let view = EventPageView {
            data: &self.data,
            tab: self.tab,
            label: self.label.as_deref(),
            csrf: "",
            form: &form,
            just_asked: None,
            my_follow_urls: &my_follow_urls,
            now: self.now,
            page_url: &self.page_url,
            personal: Personal::Slots,
            offers_mail: state.offers_mail,
        };
        let by_id: HashMap<i64, &ListedQuestion> = self
            .data
            .listed
            .iter()
            .map(|listed| (listed.question.id, listed))
            .collect();
        let mut page = String::with_capacity(self.page.size() + 4096);
        page.push_str(&self.parts.top);
        page.push_str(
            &views::events::event::personal_part(&view, &marks.my_unlisted).into_string(),
        );
        page.push_str(&self.parts.middle);
        for (id, row) in &self.parts.rows {
            let voted = marks.voted.contains(id);
            let mine = marks.mine.contains(id);
            match by_id.get(id) {
                Some(listed) if voted || mine => {
                    let marked = ListedQuestion {
                        question: listed.question.clone(),
                        voted,
                        mine,
                    };
                    page.push_str(&event_parts::personal_row(&view, &marked).into_string());
                }
                _ => page.push_str(row),
            }
        }
        page.push_str(&self.parts.bottom);
        page
    }
}

/// What to show of an event page beyond the event itself.
pub(crate) struct EventView<'a> {
    pub slug: &'a str,
    pub sort: Option<&'a str>,
    pub label: Option<&'a str>,
    pub form: AskForm,
    /// The question this browser just asked, for the "thanks, here is your link" notice.
    pub just_asked_id: Option<i64>,
    pub status: StatusCode,
}

/// The page rendered for one reader alone, for the moments that are theirs only.
pub(crate) async fn render_for_one_reader(
    state: &AppState,
    visitor: &Visitor,
    csrf: &CsrfToken,
    view: EventView<'_>,
) -> Result<HttpResponse, PageError> {
    let EventView {
        slug,
        sort,
        label,
        form,
        just_asked_id,
        status,
    } = view;
    let tab = ListTab::from_query(sort).unwrap_or(ListTab::Top);
    let data = app::events::page::event_questions(
        &state.db,
        slug,
        tab.order(),
        visitor.voter_hash(),
        visitor.mine_ids(),
    )
    .await?;
    // Only the browser that asked holds the follow token, so only it sees the notice.
    let just_asked = just_asked_id.and_then(|asked_id| {
        let mine = visitor.mine.iter().find(|mine| mine.id == asked_id)?;
        let status = data
            .listed
            .iter()
            .map(|listed| &listed.question)
            .chain(data.my_unlisted.iter())
            .find(|question| question.id == asked_id)?
            .status;
        Some(JustAsked {
            question_id: asked_id,
            status,
            follow_url: follow_url(state, &mine.follow_token),
        })
    });
    let my_follow_urls: HashMap<i64, String> = visitor
        .mine
        .iter()
        .map(|mine| (mine.id, follow_url(state, &mine.follow_token)))
        .collect();
    let page_url = format!("{}/e/{}", state.public_base, data.event.slug);
    let markup = views::events::event::event_page(&EventPageView {
        data: &data,
        tab,
        label,
        csrf: &csrf.0,
        form: &form,
        just_asked,
        my_follow_urls: &my_follow_urls,
        now: app::now(),
        page_url: &page_url,
        personal: Personal::Included,
        offers_mail: state.offers_mail,
    });
    Ok(html(status, markup))
}
