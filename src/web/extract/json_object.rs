//! The API's JSON bodies are objects. serde reads a struct from an array too (`["text", null]`
//! fills the fields in order), which the OpenAPI document does not allow: this extractor refuses
//! anything but an object, then reads it like `web::Json` (same limits, same error answers).

use actix_web::dev::Payload;
use actix_web::error::JsonPayloadError;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::web::responses::errors::{json_error, ApiError};

pub struct JsonObject<T>(pub T);

impl<T> JsonObject<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonObject<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let value = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = value.await?;
            from_object(value)
                .map(JsonObject)
                .map_err(|error| ApiError(error).into())
        })
    }
}

/// Reads `T` from a JSON value that must be an object.
pub fn from_object<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    if !value.is_object() {
        return Err(AppError::BadRequest {
            code: "bad_json",
            message: "The body must be a JSON object.".into(),
        });
    }
    serde_json::from_value(value).map_err(|error| json_error(JsonPayloadError::Deserialize(error)))
}
