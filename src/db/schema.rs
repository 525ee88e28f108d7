// Written by hand, one schema for both backends (portable column types only).

diesel::table! {
    events (id) {
        id -> BigInt,
        slug -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Nullable<Timestamp>,
        status -> Text,
        premoderation -> Bool,
        recording_url -> Nullable<Text>,
        presenter_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        recording_started_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    labels (id) {
        id -> BigInt,
        event_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    questions (id) {
        id -> BigInt,
        event_id -> BigInt,
        body -> Text,
        author_name -> Nullable<Text>,
        status -> Text,
        reject_reason -> Nullable<Text>,
        merged_into -> Nullable<BigInt>,
        priority -> Integer,
        on_screen -> Bool,
        vote_count -> Integer,
        follow_token_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    question_labels (question_id, label_id) {
        question_id -> BigInt,
        label_id -> BigInt,
    }
}

diesel::table! {
    question_edits (id) {
        id -> BigInt,
        question_id -> BigInt,
        moderator_id -> Nullable<BigInt>,
        previous_body -> Text,
        edited_at -> Timestamp,
    }
}

diesel::table! {
    votes (id) {
        id -> BigInt,
        question_id -> BigInt,
        voter_hash -> Text,
        created_at -> Timestamp,
        origin -> Nullable<Text>,
        automated -> Bool,
        discounted -> Bool,
    }
}

diesel::table! {
    answers (id) {
        id -> BigInt,
        question_id -> BigInt,
        body_md -> Text,
        body_html -> Text,
        recording_offset_secs -> Nullable<Integer>,
        published -> Bool,
        answered_by -> Nullable<BigInt>,
        answered_at -> Timestamp,
        updated_at -> Timestamp,
        reviewed_at -> Nullable<Timestamp>,
        transcript_excerpt -> Nullable<Text>,
    }
}

diesel::table! {
    moderators (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    modlog (id) {
        id -> BigInt,
        moderator_id -> Nullable<BigInt>,
        action -> Text,
        event_id -> Nullable<BigInt>,
        question_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        before_value -> Nullable<Text>,
        after_value -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        question_id -> BigInt,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    search_misses (id) {
        id -> BigInt,
        query -> Text,
        count -> Integer,
        last_seen -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        moderator_id -> BigInt,
        label -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    moderator_sessions (id) {
        id -> BigInt,
        moderator_id -> BigInt,
        token_hash -> Text,
        user_agent -> Text,
        address -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    voter_grants (id) {
        id -> BigInt,
        prefix -> Text,
        granted_at -> Timestamp,
    }
}

diesel::table! {
    moderator_votes (id) {
        id -> BigInt,
        question_id -> BigInt,
        moderator_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    embeddings (id) {
        id -> BigInt,
        question_id -> BigInt,
        owner_id -> BigInt,
        model -> Text,
        text_hash -> Text,
        vector -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        format -> Text,
        kinds -> Text,
        event_id -> Nullable<BigInt>,
        secret -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        kind -> Text,
        body -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    doc_sources (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        location -> Text,
        base_url -> Nullable<Text>,
        created_at -> Timestamp,
        refreshed_at -> Nullable<Timestamp>,
        last_report -> Nullable<Text>,
        revision -> BigInt,
        refresh_every_minutes -> Nullable<Integer>,
        lease_holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        attempted_at -> Nullable<Timestamp>,
        refresh_done -> Nullable<Integer>,
        refresh_total -> Nullable<Integer>,
    }
}

diesel::table! {
    doc_section_vectors (id) {
        id -> BigInt,
        section_id -> BigInt,
        model -> Text,
        content_hash -> Text,
        vector -> Binary,
    }
}

diesel::table! {
    doc_section_uses (id) {
        id -> BigInt,
        section_id -> BigInt,
        event_id -> Nullable<BigInt>,
        question_id -> Nullable<BigInt>,
        what -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    doc_sections (id) {
        id -> BigInt,
        source_id -> BigInt,
        url -> Text,
        anchor -> Text,
        passage -> Integer,
        heading_path -> Text,
        body -> Text,
        content_hash -> Text,
        position -> Integer,
        updated_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
        replaced_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(doc_sections -> doc_sources (source_id));
diesel::joinable!(doc_section_vectors -> doc_sections (section_id));
diesel::joinable!(doc_section_uses -> doc_sections (section_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhooks -> events (event_id));
diesel::joinable!(labels -> events (event_id));
diesel::joinable!(moderator_votes -> questions (question_id));
diesel::joinable!(api_tokens -> moderators (moderator_id));
diesel::joinable!(moderator_sessions -> moderators (moderator_id));
diesel::joinable!(modlog -> moderators (moderator_id));
diesel::joinable!(modlog -> events (event_id));
diesel::joinable!(questions -> events (event_id));
diesel::joinable!(question_labels -> questions (question_id));
diesel::joinable!(question_labels -> labels (label_id));
diesel::joinable!(votes -> questions (question_id));
diesel::joinable!(answers -> questions (question_id));
diesel::joinable!(question_edits -> questions (question_id));
diesel::joinable!(embeddings -> questions (question_id));

diesel::table! {
    transcripts (event_id) {
        event_id -> BigInt,
        format -> Text,
        cue_count -> Integer,
        duration_ms -> BigInt,
        imported_at -> Timestamp,
        vectors_model -> Nullable<Text>,
    }
}

diesel::table! {
    transcript_cues (id) {
        id -> BigInt,
        event_id -> BigInt,
        position -> Integer,
        start_ms -> BigInt,
        end_ms -> BigInt,
        speaker -> Nullable<Text>,
        body -> Text,
        cue_vector -> Nullable<Binary>,
    }
}

diesel::table! {
    screen_times (id) {
        id -> BigInt,
        event_id -> BigInt,
        question_id -> BigInt,
        shown_at -> Timestamp,
        hidden_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_subscriptions (id) {
        id -> BigInt,
        email -> Text,
        event_id -> BigInt,
        question_id -> Nullable<BigInt>,
        voter_hash -> Nullable<Text>,
        token -> Text,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        subscription_id -> Nullable<BigInt>,
        recipient -> Text,
        kind -> Text,
        body -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(mail_subscriptions -> events (event_id));

diesel::table! {
    polls (id) {
        id -> BigInt,
        event_id -> BigInt,
        kind -> Text,
        prompt -> Text,
        options -> Text,
        multiple -> Bool,
        other -> Bool,
        scale -> Integer,
        scale_labels -> Nullable<Text>,
        results -> Text,
        banned_words -> Text,
        state -> Text,
        revealed -> Bool,
        created_at -> Timestamp,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    poll_answers (id) {
        id -> BigInt,
        poll_id -> BigInt,
        voter_hash -> Text,
        answer -> Text,
        status -> Text,
        origin -> Nullable<Text>,
        automated -> Bool,
        discounted -> Bool,
        votes -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    poll_answer_votes (id) {
        id -> BigInt,
        answer_id -> BigInt,
        voter_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(polls -> events (event_id));
diesel::joinable!(poll_answers -> polls (poll_id));
diesel::joinable!(poll_answer_votes -> poll_answers (answer_id));

diesel::table! {
    topic_groupings (id) {
        id -> BigInt,
        basis -> Text,
        state -> Text,
        requested_by -> Nullable<BigInt>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        topic_count -> Integer,
        failure -> Nullable<Text>,
    }
}

diesel::table! {
    topics (id) {
        id -> BigInt,
        words -> Text,
        custom_label -> Nullable<Text>,
        hidden -> Bool,
        merged_into -> Nullable<BigInt>,
        centroid_sum -> Nullable<Binary>,
        centroid_size -> Integer,
        docs_wanted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    topic_questions (question_id) {
        question_id -> BigInt,
        topic_id -> BigInt,
        pinned -> Bool,
    }
}

diesel::table! {
    topic_searches (miss_id) {
        miss_id -> BigInt,
        topic_id -> BigInt,
    }
}

diesel::table! {
    topic_poll_answers (answer_id) {
        answer_id -> BigInt,
        topic_id -> BigInt,
    }
}

diesel::table! {
    digest_subscriptions (moderator_id) {
        moderator_id -> BigInt,
        email -> Text,
        period -> Text,
        token -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    digests (id) {
        id -> BigInt,
        period -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        body -> Text,
        sent -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    transcriptions (id) {
        id -> BigInt,
        event_id -> BigInt,
        state -> Text,
        source_name -> Text,
        language -> Text,
        audio_secs -> Double,
        done_secs -> Double,
        message -> Nullable<Text>,
        requested_by -> Nullable<BigInt>,
        lease_holder -> Nullable<Text>,
        lease_until -> Nullable<Timestamp>,
        cancel_requested -> Bool,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    transcription_audio (transcription_id, piece) {
        transcription_id -> BigInt,
        piece -> Integer,
        samples -> Binary,
    }
}

diesel::joinable!(transcriptions -> events (event_id));
diesel::joinable!(transcription_audio -> transcriptions (transcription_id));
diesel::joinable!(digest_subscriptions -> moderators (moderator_id));
diesel::joinable!(topic_poll_answers -> topics (topic_id));
diesel::joinable!(topic_poll_answers -> poll_answers (answer_id));
diesel::joinable!(topic_questions -> topics (topic_id));
diesel::joinable!(topic_questions -> questions (question_id));
diesel::joinable!(topic_searches -> topics (topic_id));
diesel::joinable!(topic_searches -> search_misses (miss_id));

diesel::allow_tables_to_appear_in_same_query!(
    events,
    labels,
    questions,
    question_labels,
    question_edits,
    votes,
    answers,
    moderators,
    modlog,
    changes,
    search_misses,
    api_tokens,
    moderator_sessions,
    voter_grants,
    moderator_votes,
    embeddings,
    transcripts,
    transcript_cues,
    screen_times,
    webhooks,
    webhook_deliveries,
    mail_subscriptions,
    mail_outbox,
    doc_sources,
    doc_sections,
    doc_section_vectors,
    doc_section_uses,
    polls,
    poll_answers,
    poll_answer_votes,
    topic_groupings,
    topics,
    topic_questions,
    topic_searches,
    topic_poll_answers,
    digest_subscriptions,
    transcriptions,
    transcription_audio,
    digests,
);
