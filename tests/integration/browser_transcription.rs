//! In headless Chromium: a moderator drops the call's `.mp4` on the recording page, watches the
//! transcription wait for a free instance, and ends with the transcript, its cues and captions to
//! post with the video. The tiny Whisper hears "hello world" in the recording.

use std::path::PathBuf;

use faqtory::speech::tiny_whisper::install_tiny_whisper;

use crate::browser::{chromedriver, sign_in};
use crate::support::{backends, browser, spawn_app_with, TestApp};
use crate::webdriver::{Browser, Driver};

const PASSWORD: &str = "correct horse battery";

fn screenshot(name: &str, backend: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}-{backend}.png"))
}

fn install_model(app: &TestApp) {
    install_tiny_whisper(&app.data_dir.join("models").join("whisper"), "en").unwrap();
}

async fn nothing_wider_than_the_screen(page: &Browser) {
    assert_eq!(
        page.run(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            serde_json::json!([])
        )
        .await,
        serde_json::json!(true),
        "nothing wider than the screen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_drops_the_calls_video_and_gets_its_transcript_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("browser journeys skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let video = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audio/video.mp4");
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        // This instance takes uploads but lends no threads to transcribing: the job waits.
        let app = spawn_app_with(&backend, |config| config.speech.threads = 0).await;
        app.create_event(
            "hangout",
            &["--recording-url", "https://www.youtube.com/watch?v=abc"],
        );
        install_model(&app);
        app.add_moderator("maria", PASSWORD, false);

        let page = driver.session(1366, 768).await;
        sign_in(&page, &app, "maria", PASSWORD).await;
        page.goto(&app.url("/mod/e/hangout/recording")).await;
        let file = page.wait_for("#recording-file").await;
        page.type_into(&file, video.to_str().unwrap()).await;
        page.click_on("#transcribe button[type=submit]").await;
        page.wait_until(
            "the job waits its turn",
            "var note = document.getElementById('transcription-progress'); \
             return !!note && note.textContent.indexOf('Waiting its turn') !== -1 \
               && note.textContent.indexOf('video.mp4') !== -1;",
        )
        .await;
        page.run(
            "document.getElementById('transcribe').scrollIntoView(); return true;",
            serde_json::json!([]),
        )
        .await;
        page.screenshot(&screenshot("transcription-waiting-laptop", app.backend))
            .await;

        let phone = driver.session(390, 844).await;
        sign_in(&phone, &app, "maria", PASSWORD).await;
        phone.goto(&app.url("/mod/e/hangout/recording")).await;
        phone.wait_for("#transcription-progress").await;
        nothing_wider_than_the_screen(&phone).await;
        phone
            .run(
                "document.getElementById('transcribe').scrollIntoView(); return true;",
                serde_json::json!([]),
            )
            .await;
        phone
            .screenshot(&screenshot("transcription-waiting-phone", app.backend))
            .await;
        phone.close().await;

        // An instance with a thread to spare takes the job; the open page follows it to the end.
        let worker = app
            .second_instance_with(&backend, |config| config.speech.threads = 1)
            .await;
        install_model(&worker);
        page.wait_until(
            "the page shows the transcript made from the video",
            "return document.body.textContent.indexOf('1 cue transcribed from video.mp4.') !== -1 \
               && document.getElementById('transcript').textContent.indexOf('1 cue, ') !== -1 \
               && document.getElementById('transcript').textContent \
                    .indexOf('(transcribed from the recording)') !== -1 \
               && !document.getElementById('transcription-progress');",
        )
        .await;
        nothing_wider_than_the_screen(&page).await;
        page.screenshot(&screenshot("transcription-done-laptop", app.backend))
            .await;
        page.close().await;

        let captions = browser()
            .get(app.url("/e/hangout/captions.vtt"))
            .send()
            .await
            .unwrap();
        assert_eq!(captions.status(), 200);
        let captions = captions.text().await.unwrap();
        assert!(
            captions.starts_with("WEBVTT") && captions.contains("hello world"),
            "{captions}"
        );
        worker.stop_server().await;
    }
}
