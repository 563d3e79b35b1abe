"""Booking a place in one call to PostgreSQL (training.services.bookings, ADR 0012).

`training_book_place` locks the session row, counts its bookings, and writes the booking,
its audit event and its email to the outbox, in one round trip: the row lock is held for
the function's own statements, never across a trip back to Python. Each statement of a
PL/pgSQL function takes a new snapshot (READ COMMITTED), so the count after the lock sees
every booking committed before it. `training_session_fingerprint` lets the caller know the
emails it rendered before the lock still describe the session.

SQLite has no stored functions: there the service does the same steps through the ORM.
The columns written here are checked against the models by
tests/integration/test_book_place_function.py.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FINGERPRINT = """
CREATE OR REPLACE FUNCTION training_session_fingerprint(p_session bigint) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT md5(s::text || c::text || p::text)
    FROM training_session s
    JOIN training_course c ON c.id = s.course_id
    JOIN training_programme p ON p.id = c.programme_id
    WHERE s.id = p_session
$$;
"""

BOOK_PLACE = """
CREATE OR REPLACE FUNCTION training_book_place(
    p_session bigint,
    p_learner bigint,
    p_actor bigint,
    p_now timestamptz,
    p_fingerprint text,
    p_audit jsonb,
    p_booked jsonb,
    p_waitlisted jsonb
) RETURNS TABLE (outcome text, booking_id bigint, waitlist_position integer, message_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_session record;
    v_mine bigint;
    v_taken bigint;
    v_last integer;
    v_status text;
    v_position integer;
    v_email jsonb;
    v_key text;
    v_booking bigint;
    v_message bigint;
BEGIN
    SELECT s.status = 'cancelled' AS is_cancelled, s.starts_at, s.capacity INTO v_session
    FROM training_session s WHERE s.id = p_session FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'missing'::text, NULL::bigint, NULL::integer, NULL::bigint;
        RETURN;
    END IF;
    IF v_session.is_cancelled THEN
        RETURN QUERY SELECT 'cancelled'::text, NULL::bigint, NULL::integer, NULL::bigint;
        RETURN;
    END IF;
    IF v_session.starts_at <= p_now THEN
        RETURN QUERY SELECT 'started'::text, NULL::bigint, NULL::integer, NULL::bigint;
        RETURN;
    END IF;
    IF training_session_fingerprint(p_session) IS DISTINCT FROM p_fingerprint THEN
        RETURN QUERY SELECT 'changed'::text, NULL::bigint, NULL::integer, NULL::bigint;
        RETURN;
    END IF;
    SELECT
        count(*) FILTER (
            WHERE b.learner_id = p_learner
            AND b.status IN ('booked', 'waitlisted', 'attended', 'no_show')
        ),
        count(*) FILTER (WHERE b.status IN ('booked', 'attended', 'no_show')),
        max(b.waitlist_position)
    INTO v_mine, v_taken, v_last
    FROM training_booking b WHERE b.session_id = p_session;
    IF v_mine > 0 THEN
        RETURN QUERY SELECT 'duplicate'::text, NULL::bigint, NULL::integer, NULL::bigint;
        RETURN;
    END IF;
    IF v_taken < v_session.capacity THEN
        v_status := 'booked';
        v_position := NULL;
        v_email := p_booked;
        v_key := 'training:booking-confirmed:';
    ELSE
        v_status := 'waitlisted';
        v_position := coalesce(v_last, 0) + 1;
        v_email := p_waitlisted;
        v_key := 'training:booking-waitlisted:';
    END IF;
    INSERT INTO training_booking (
        created_at, updated_at, session_id, learner_id, booked_by_id, status,
        waitlist_position, confirmed_at, cancelled_at, attendance_marked_at,
        post_course_evaluation_completed_at
    ) VALUES (
        p_now, p_now, p_session, p_learner, p_actor, v_status,
        v_position, CASE WHEN v_status = 'booked' THEN p_now END, NULL, NULL,
        NULL
    ) RETURNING id INTO v_booking;
    INSERT INTO core_auditevent (
        occurred_at, actor_id, actor_email, action, target_type_id, target_id,
        ip_address, user_agent, details
    ) VALUES (
        p_now, p_actor, p_audit->>'actor_email', 'training.booking_' || v_status,
        (p_audit->>'target_type_id')::integer, v_booking::text,
        (p_audit->>'ip_address')::inet, p_audit->>'user_agent',
        jsonb_build_object('session', p_session, 'learner', p_learner)
    );
    INSERT INTO core_outboxmessage (
        created_at, updated_at, idempotency_key, kind, status, recipients, subject,
        body_text, body_html, attachments, available_at, attempts, last_error, sent_at
    ) VALUES (
        p_now, p_now, v_key || v_booking, 'email', 'pending', v_email->'recipients',
        v_email->>'subject', v_email->>'body_text', '', v_email->'attachments', p_now, 0, '',
        NULL
    ) ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_message;
    RETURN QUERY SELECT v_status, v_booking, v_position, v_message;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS training_book_place(
    bigint, bigint, bigint, timestamptz, text, jsonb, jsonb, jsonb
);
DROP FUNCTION IF EXISTS training_session_fingerprint(bigint);
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FINGERPRINT)
        schema_editor.execute(BOOK_PLACE)


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_seed_programmes_and_quality_criteria"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
