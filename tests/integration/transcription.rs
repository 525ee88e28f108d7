//! Speech to text through the real server, with the tiny Whisper (it hears "hello world" in the
//! first second of every 30 s window that holds sound): a recording uploaded becomes the event's
//! transcript and its captions; a job waits, is cancelled, survives its instance stopping; bad
//! recordings are refused in words and leave nothing behind.

use std::time::Duration;

use faqtory::speech::test_audio::tone_wav;
use faqtory::speech::tiny_whisper::install_tiny_whisper;
use serde_json::Value;

use crate::support::{backends, browser, spawn_app_with, TestApp};

fn install_model(app: &TestApp, language: &str) {
    install_tiny_whisper(&app.data_dir.join("models").join("whisper"), language).unwrap();
}

async fn upload(
    app: &TestApp,
    token: &str,
    slug: &str,
    query: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = browser()
        .post(app.url(&format!("/api/v1/events/{slug}/recording/audio{query}")))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn job(app: &TestApp, token: &str, slug: &str) -> (u16, Value) {
    let response = browser()
        .get(app.url(&format!("/api/v1/events/{slug}/recording/audio")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Waits for the job to end (a state, not a speed: the bound only stops a broken run).
async fn ended(app: &TestApp, token: &str, slug: &str) -> Value {
    for _ in 0..1200 {
        let (_, state) = job(app, token, slug).await;
        if ["done", "failed", "cancelled"].contains(&state["state"].as_str().unwrap_or("")) {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the transcription of {slug} never ended");
}

async fn transcript(app: &TestApp, token: &str, slug: &str) -> (u16, Value) {
    let response = browser()
        .get(app.url(&format!("/api/v1/events/{slug}/transcript")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn uploads_left(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir.join("uploads")).map_or(0, |entries| entries.count())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_becomes_the_events_transcript_and_its_captions() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |_| {}).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");

        // No model yet: refused before a byte is kept.
        let wav = tone_wav(44_100, 2, 65.0, 65.0);
        let (status, body) = upload(&app, &token, "hangout", "", wav.clone()).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"], "no_speech_model");
        assert!(body["message"]
            .as_str()
            .unwrap()
            .contains("faqtory model fetch --speech"));

        install_model(&app, "en");
        let (status, body) = upload(&app, &token, "hangout", "?name=June%20call.wav", wav).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["source_name"], "June call.wav");
        assert_eq!(body["language"], "en");
        assert!(
            (body["audio_seconds"].as_f64().unwrap() - 65.0).abs() < 0.1,
            "{body}"
        );

        let done = ended(&app, &token, "hangout").await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(done["percent"], 100);
        assert_eq!(done["message"], "3 cues transcribed from June call.wav.");
        assert_eq!(
            app.count_rows("transcription_audio"),
            0,
            "the sound is freed"
        );
        assert_eq!(uploads_left(&app), 0);

        // The transcript is as an uploaded one: cues with times, speaker unknown.
        let (status, read) = transcript(&app, &token, "hangout").await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["format"], "speech", "said to come from the recording");
        let cues = read["cues"].as_array().unwrap();
        let timed: Vec<(f64, f64, &str)> = cues
            .iter()
            .map(|cue| {
                (
                    cue["start_secs"].as_f64().unwrap(),
                    cue["end_secs"].as_f64().unwrap(),
                    cue["text"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            timed,
            vec![
                (0.0, 1.0, "hello world"),
                (30.0, 31.0, "hello world"),
                (60.0, 61.0, "hello world")
            ]
        );
        assert!(cues.iter().all(|cue| cue["speaker"].is_null()));

        // Captions out.
        let vtt = browser()
            .get(app.url("/e/hangout/captions.vtt"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            vtt.contains("00:00:30.000 --> 00:00:31.000\nhello world"),
            "{vtt}"
        );

        // The moderators' log says where it came from.
        let log = browser()
            .get(app.url("/api/v1/modlog?event=hangout"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(log.contains("transcribed from June call.wav"), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_job_is_cancelled_or_taken_up_after_its_instance_stops() {
    for backend in backends() {
        // This instance leaves transcription to others: its jobs wait.
        let first = spawn_app_with(&backend, |config| config.speech.threads = 0).await;
        first.create_event("hangout", &[]);
        let token = first.api_token("mona");
        install_model(&first, "en");
        let wav = tone_wav(16_000, 1, 40.0, 40.0);

        let (status, body) = upload(&first, &token, "hangout", "", wav.clone()).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["state"], "queued");
        assert_eq!(body["source_name"], "recording");
        assert_eq!(first.count_rows("transcription_audio"), 2);

        // One at a time per event.
        let (status, body) = upload(&first, &token, "hangout", "", wav.clone()).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"], "transcription_under_way");

        // Cancelled before it started: its sound is freed, the transcript untouched.
        let cancelled = browser()
            .delete(first.url("/api/v1/events/hangout/recording/audio"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(cancelled.status(), 200);
        let cancelled: Value = cancelled.json().await.unwrap();
        assert_eq!(cancelled["state"], "cancelled");
        assert_eq!(first.count_rows("transcription_audio"), 0);
        assert_eq!(transcript(&first, &token, "hangout").await.0, 404);
        let again = browser()
            .delete(first.url("/api/v1/events/hangout/recording/audio"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409);

        // A new one; its instance "dies" while at work (the lease it held has lapsed).
        let (status, _) = upload(&first, &token, "hangout", "?name=take2.wav", wav).await;
        assert_eq!(status, 202);
        first.stop_server().await;
        let changed = first.execute_sql(
            "UPDATE transcriptions SET state = 'running', lease_holder = 'gone', \
             lease_until = '2000-01-01 00:00:00', done_secs = 30 WHERE state = 'queued'",
        );
        assert_eq!(changed, 1);

        // Another instance takes it up from the start and finishes it.
        let second = first
            .second_instance_with(&backend, |config| config.speech.threads = 1)
            .await;
        install_model(&second, "en");
        let done = ended(&second, &token, "hangout").await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(done["source_name"], "take2.wav");
        let (_, read) = transcript(&second, &token, "hangout").await;
        assert_eq!(read["cues"].as_array().unwrap().len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_recordings_are_refused_in_words_and_leave_nothing_behind() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| {
            config.speech.max_upload_bytes = 1024 * 1024;
            config.speech.ffmpeg = None;
        })
        .await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        install_model(&app, "en");
        let fixture = |name: &str| {
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/audio")
                    .join(name),
            )
            .unwrap()
        };

        let refusals: Vec<(&str, Vec<u8>, u16, &str)> = vec![
            (
                "",
                b"just some notes".to_vec(),
                422,
                "cannot read this file as a recording",
            ),
            (
                "",
                tone_wav(16_000, 1, 2.0, 20.0),
                422,
                "ends early: 2 of the 20 seconds",
            ),
            (
                "",
                fixture("hum.opus"),
                422,
                "Opus, which faqtory reads only through ffmpeg",
            ),
            ("", Vec::new(), 422, "The upload is empty"),
            ("", vec![0u8; 2 * 1024 * 1024], 413, "larger than 1 MB"),
            (
                "?language=english",
                tone_wav(16_000, 1, 1.0, 1.0),
                422,
                "not a language code",
            ),
        ];
        for (query, body, status, words) in refusals {
            let (got, said) = upload(&app, &token, "hangout", query, body).await;
            assert_eq!(got, status, "{said}");
            assert!(
                said["message"].as_str().unwrap_or("").contains(words),
                "{words}: {said}"
            );
            assert_eq!(
                uploads_left(&app),
                0,
                "{words}: the upload's space is freed"
            );
        }
        assert_eq!(app.count_rows("transcriptions"), 0);
        assert_eq!(app.count_rows("transcription_audio"), 0);

        // Not a moderator; no such event.
        let (status, _) = upload(&app, "wrong", "hangout", "", tone_wav(16_000, 1, 1.0, 1.0)).await;
        assert_eq!(status, 401);
        let (status, _) = upload(&app, &token, "nowhere", "", tone_wav(16_000, 1, 1.0, 1.0)).await;
        assert_eq!(status, 404);
        assert_eq!(job(&app, &token, "hangout").await.0, 404);

        // Three hours of silence: read, stored as nothing, and nothing heard.
        let (status, body) = upload(
            &app,
            &token,
            "hangout",
            "?name=quiet.flac",
            fixture("silence.flac"),
        )
        .await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["audio_seconds"], 10_800.0);
        let failed = ended(&app, &token, "hangout").await;
        assert_eq!(failed["state"], "failed");
        assert_eq!(failed["message"], "No speech was heard in the recording.");
        assert_eq!(
            transcript(&app, &token, "hangout").await.0,
            404,
            "the event is untouched"
        );
        assert_eq!(app.count_rows("transcription_audio"), 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recording_in_another_language_is_named_and_can_be_asked_for() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |_| {}).await;
        app.create_event("treffen", &[]);
        let token = app.api_token("mona");
        install_model(&app, "de");
        let wav = tone_wav(16_000, 1, 5.0, 5.0);

        let (status, _) = upload(&app, &token, "treffen", "", wav.clone()).await;
        assert_eq!(status, 202);
        let failed = ended(&app, &token, "treffen").await;
        assert_eq!(failed["state"], "failed");
        assert!(
            failed["message"]
                .as_str()
                .unwrap()
                .contains("sounds like de, not en"),
            "{failed}"
        );
        assert_eq!(transcript(&app, &token, "treffen").await.0, 404);

        let (status, _) = upload(&app, &token, "treffen", "?language=de", wav).await;
        assert_eq!(status, 202);
        let done = ended(&app, &token, "treffen").await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(done["language"], "de");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_transcribes_with_a_progress_bar_and_waits() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| config.speech.threads = 0).await;
        app.create_event("hangout", &[]);
        let token = app.api_token("mona");
        let file = app.data_dir.join("call.wav");
        std::fs::write(&file, tone_wav(22_050, 1, 35.0, 35.0)).unwrap();

        let refused = app.cli(&[
            "transcript",
            "transcribe",
            "--event",
            "hangout",
            file.to_str().unwrap(),
        ]);
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("faqtory model fetch --speech"));

        install_model(&app, "en");
        let output = app.cli(&[
            "transcript",
            "transcribe",
            "--event",
            "hangout",
            file.to_str().unwrap(),
        ]);
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("2 cues transcribed from call.wav"), "{said}");
        let (_, read) = transcript(&app, &token, "hangout").await;
        assert_eq!(read["cues"].as_array().unwrap().len(), 2);
    }
}
