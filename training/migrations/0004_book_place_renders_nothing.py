"""Booking without the emails: they are rendered by the worker when sent (ADR 0014).

`training_book_place` (migration 0003, ADR 0012) took both emails rendered in Python and a
fingerprint of the session they were rendered from, which cost the request a read of the
session and two renderings. Now it queues an outbox row naming the renderer and the
template, with the booking's id, and checks the session (exists, not cancelled, not
started) under the lock as before. `training_session_fingerprint` goes with the old
signature. The columns written are checked against the models by
tests/integration/test_book_place_function.py.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

# The function this replaces, to drop it here and to restore it when migrating back.
previous = import_module("training.migrations.0003_book_place_function")

BOOK_PLACE = """
CREATE OR REPLACE FUNCTION training_book_place(
    p_session bigint,
    p_learner bigint,
    p_actor bigint,
    p_now timestamptz,
    p_audit jsonb,
    p_renderer text
) RETURNS TABLE (outcome text, booking_id bigint, waitlist_position integer, message_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_session record;
    v_mine bigint;
    v_taken bigint;
    v_last integer;
    v_status text;
    v_position integer;
    v_template text;
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
        v_template := 'booking_confirmed';
        v_key := 'training:booking-confirmed:';
    ELSE
        v_status := 'waitlisted';
        v_position := coalesce(v_last, 0) + 1;
        v_template := 'booking_waitlisted';
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
        body_text, body_html, attachments, renderer, context, available_at, attempts,
        last_error, sent_at
    ) VALUES (
        p_now, p_now, v_key || v_booking, 'email', 'pending', '[]'::jsonb, '', '', '',
        '[]'::jsonb, p_renderer,
        jsonb_build_object('booking', v_booking, 'template', v_template), p_now, 0, '', NULL
    ) ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO v_message;
    RETURN QUERY SELECT v_status, v_booking, v_position, v_message;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS training_book_place(bigint, bigint, bigint, timestamptz, jsonb, text);
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(previous.DROP)
        schema_editor.execute(BOOK_PLACE)


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(previous.FINGERPRINT)
        schema_editor.execute(previous.BOOK_PLACE)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0003_book_place_function"),
        ("core", "0004_outbox_rendered_on_delivery"),
    ]

    operations = [migrations.RunPython(create, restore, elidable=False)]
