//! Our stylesheet, script and icon, embedded in the binary and served under content-hashed names
//! so browsers may cache them forever.

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

pub struct Asset {
    pub logical: &'static str,
    pub file_name: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    [
        (
            "style.css",
            "text/css; charset=utf-8",
            include_bytes!("../assets/style.css").as_slice(),
        ),
        (
            "app.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/app.js").as_slice(),
        ),
        (
            "live.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/live.js").as_slice(),
        ),
        (
            "shortcuts.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/shortcuts.js").as_slice(),
        ),
        (
            "embed.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/embed.js").as_slice(),
        ),
        (
            "embed-frame.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../assets/embed-frame.js").as_slice(),
        ),
        (
            "icon.svg",
            "image/svg+xml",
            include_bytes!("../assets/icon.svg").as_slice(),
        ),
    ]
    .into_iter()
    .map(|(logical, content_type, body)| Asset {
        logical,
        file_name: hashed_name(logical, body),
        content_type,
        body,
    })
    .collect()
});

fn hashed_name(logical: &str, body: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(body));
    match logical.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{}.{extension}", &digest[..12]),
        None => format!("{logical}.{}", &digest[..12]),
    }
}

/// The URL of an asset by its plain name, e.g. `style.css` → `/assets/style.1a2b3c4d5e6f.css`.
pub fn url(logical: &str) -> String {
    ASSETS
        .iter()
        .find(|asset| asset.logical == logical)
        .map(|asset| format!("/assets/{}", asset.file_name))
        .unwrap_or_else(|| format!("/assets/{logical}"))
}

pub fn by_file_name(file_name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.file_name == file_name)
}

pub fn by_logical_name(logical: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|asset| asset.logical == logical)
}
