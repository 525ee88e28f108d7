//! A page rendered once and served many times: its bytes, compressed once with brotli and gzip,
//! and a validator (`ETag`) so that a browser that has it already gets a bodiless 304.

use std::io::Write;

use actix_web::http::header::{self, ContentEncoding, Encoding, Header, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Fast settings: a page is compressed on every change, and during a call that is often. Brotli
/// at 5 is within a few percent of its best on HTML, at a fraction of the time.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;

pub const HTML: &str = "text/html; charset=utf-8";

pub struct RenderedPage {
    content_type: &'static str,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl RenderedPage {
    /// An HTML page, compressed both ways: call it off the async threads.
    pub fn html(html: String) -> std::io::Result<Self> {
        Self::new(html, HTML)
    }

    /// Any text, compressed both ways: call it off the async threads.
    pub fn new(html: String, content_type: &'static str) -> std::io::Result<Self> {
        let digest = Sha256::digest(html.as_bytes());
        // Weak: the compressed forms are the same page, not the same bytes.
        let etag = HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..12])))
            .map_err(std::io::Error::other)?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(html.as_bytes())?;
        let gzip = gzip.finish()?;
        let mut brotli = Vec::new();
        {
            let mut writer =
                brotli::CompressorWriter::new(&mut brotli, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
            writer.write_all(html.as_bytes())?;
            writer.flush()?;
        }
        Ok(Self {
            content_type,
            etag,
            identity: Bytes::from(html),
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
        })
    }

    /// Renders with `render` and compresses on a blocking thread, away from the requests.
    pub async fn made_by<F>(content_type: &'static str, render: F) -> Result<Self, AppError>
    where
        F: FnOnce() -> String + Send + 'static,
    {
        Self::made_by_fallible(content_type, move || Ok(render())).await
    }

    /// As [`Self::made_by`], for a renderer that can fail (a serializer's error).
    pub async fn made_by_fallible<F>(
        content_type: &'static str,
        render: F,
    ) -> Result<Self, AppError>
    where
        F: FnOnce() -> Result<String, AppError> + Send + 'static,
    {
        web::block(move || {
            let body = render()?;
            Self::new(body, content_type)
                .map_err(|error| AppError::internal("compressing a page", error))
        })
        .await
        .map_err(|error| AppError::internal("rendering a page", error))?
    }

    /// Bytes before compression.
    pub fn size(&self) -> usize {
        self.identity.len()
    }

    pub fn etag(&self) -> &HeaderValue {
        &self.etag
    }

    /// The page as this request accepts it, or 304 when the browser's copy is this one.
    pub fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let mut response = if self.is_cached_by(req) {
            HttpResponse::NotModified().finish()
        } else {
            let (encoding, body) = self.encoded_for(req);
            let mut builder = HttpResponse::Ok();
            builder.content_type(self.content_type);
            // Compressed bytes are marked, so that the compression middleware leaves them alone;
            // plain ones need no mark: a browser that takes neither brotli nor gzip gets nothing
            // else from the middleware either.
            if encoding != ContentEncoding::Identity {
                builder.insert_header((header::CONTENT_ENCODING, encoding));
            }
            builder.body(body.clone())
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // Browsers keep the page but ask each time; it carries cookies, so no shared cache may.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        response
    }

    fn is_cached_by(&self, req: &HttpRequest) -> bool {
        let Some(wanted) = req.headers().get(header::IF_NONE_MATCH) else {
            return false;
        };
        let Ok(wanted) = wanted.to_str() else {
            return false;
        };
        let ours = strip_weak(self.etag.to_str().unwrap_or_default());
        wanted
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || strip_weak(tag) == ours)
    }

    fn encoded_for(&self, req: &HttpRequest) -> (ContentEncoding, &Bytes) {
        let offered = [Encoding::brotli(), Encoding::gzip(), Encoding::identity()];
        let chosen = header::AcceptEncoding::parse(req)
            .ok()
            .and_then(|accepted| accepted.negotiate(offered.iter()));
        match chosen {
            Some(encoding) if encoding == Encoding::brotli() => {
                (ContentEncoding::Brotli, &self.brotli)
            }
            Some(encoding) if encoding == Encoding::gzip() => (ContentEncoding::Gzip, &self.gzip),
            _ => (ContentEncoding::Identity, &self.identity),
        }
    }
}

/// If-None-Match compares weakly (RFC 9110, 13.1.2).
fn strip_weak(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use std::io::Read;

    fn page() -> RenderedPage {
        RenderedPage::html("<p>hello</p>".repeat(200)).unwrap()
    }

    #[test]
    fn both_compressed_forms_give_back_the_page() {
        let page = page();
        let mut gunzipped = String::new();
        flate2::read::GzDecoder::new(&page.gzip[..])
            .read_to_string(&mut gunzipped)
            .unwrap();
        assert_eq!(gunzipped.as_bytes(), &page.identity[..]);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&page.brotli[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert_eq!(&unbrotlied[..], &page.identity[..]);
        assert!(page.brotli.len() < page.identity.len() / 10);
    }

    #[test]
    fn the_encoding_follows_what_the_browser_accepts() {
        let page = page();
        let ask = |accept: Option<&str>| {
            let mut req = TestRequest::get();
            if let Some(accept) = accept {
                req = req.insert_header((header::ACCEPT_ENCODING, accept));
            }
            page.encoded_for(&req.to_http_request()).0
        };
        assert_eq!(ask(Some("gzip, deflate, br")), ContentEncoding::Brotli);
        assert_eq!(ask(Some("gzip")), ContentEncoding::Gzip);
        assert_eq!(ask(Some("br;q=0.1, gzip;q=0.9")), ContentEncoding::Gzip);
        assert_eq!(ask(None), ContentEncoding::Identity);
        assert_eq!(ask(Some("identity")), ContentEncoding::Identity);
        assert_eq!(ask(Some("garbage;;q=x, ,;")), ContentEncoding::Identity);
    }

    #[test]
    fn a_matching_validator_gets_304_and_another_the_page() {
        let page = page();
        let tag = page.etag().to_str().unwrap().to_owned();
        for header_value in [
            tag.clone(),
            tag.trim_start_matches("W/").to_owned(),
            format!("\"x\", {tag}"),
        ] {
            let req = TestRequest::get()
                .insert_header((header::IF_NONE_MATCH, header_value.as_str()))
                .to_http_request();
            assert_eq!(page.respond(&req).status(), 304, "{header_value}");
        }
        let req = TestRequest::get()
            .insert_header((header::IF_NONE_MATCH, "W/\"other\""))
            .to_http_request();
        assert_eq!(page.respond(&req).status(), 200);
    }
}
