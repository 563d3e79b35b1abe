"""Booking several learners of one session in one call (ADR 0015).

`training_book_places` is `training_book_place` (migration 0004) for a list of learners,
taken in order under one lock of the session row: the same checks, count and three
INSERTs per learner, each seeing the ones before it, and one commit for all. A process
whose threads are booking the same session at the same moment makes one call for them
(core.combiner), so a crowd of bookings takes far fewer turns at the lock. A single
booking is a list of one. The columns written are checked against the models by
tests/integration/test_book_place_function.py.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

# The function this replaces, to drop it here and to restore it when migrating back.
previous = import_module("training.migrations.0004_book_place_renders_nothing")

BOOK_PLACES = """
CREATE OR REPLACE FUNCTION training_book_places(
    p_session bigint,
    p_learners bigint[],
    p_actors bigint[],
    p_now timestamptz,
    p_audits jsonb[],
    p_renderer text
) RETURNS TABLE (outcome text, booking_id bigint, waitlist_position integer, message_id bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_session record;
    v_refusal text;
    v_mine bigint;
    v_taken bigint;
    v_last integer;
    v_status text;
    v_position integer;
    v_template text;
    v_key text;
    v_booking bigint;
    v_message bigint;
    i integer;
BEGIN
    SELECT s.status = 'cancelled' AS is_cancelled, s.starts_at, s.capacity INTO v_session
    FROM training_session s WHERE s.id = p_session FOR UPDATE;
    IF NOT FOUND THEN
        v_refusal := 'missing';
    ELSIF v_session.is_cancelled THEN
        v_refusal := 'cancelled';
    ELSIF v_session.starts_at <= p_now THEN
        v_refusal := 'started';
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_learners, 1), 0) LOOP
        booking_id := NULL;
        waitlist_position := NULL;
        message_id := NULL;
        IF v_refusal IS NOT NULL THEN
            outcome := v_refusal;
            RETURN NEXT;
            CONTINUE;
        END IF;
        SELECT
            count(*) FILTER (
                WHERE b.learner_id = p_learners[i]
                AND b.status IN ('booked', 'waitlisted', 'attended', 'no_show')
            ),
            count(*) FILTER (WHERE b.status IN ('booked', 'attended', 'no_show')),
            max(b.waitlist_position)
        INTO v_mine, v_taken, v_last
        FROM training_booking b WHERE b.session_id = p_session;
        IF v_mine > 0 THEN
            outcome := 'duplicate';
            RETURN NEXT;
            CONTINUE;
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
            p_now, p_now, p_session, p_learners[i], p_actors[i], v_status,
            v_position, CASE WHEN v_status = 'booked' THEN p_now END, NULL, NULL,
            NULL
        ) RETURNING id INTO v_booking;
        INSERT INTO core_auditevent (
            occurred_at, actor_id, actor_email, action, target_type_id, target_id,
            ip_address, user_agent, details
        ) VALUES (
            p_now, p_actors[i], p_audits[i]->>'actor_email', 'training.booking_' || v_status,
            (p_audits[i]->>'target_type_id')::integer, v_booking::text,
            (p_audits[i]->>'ip_address')::inet, p_audits[i]->>'user_agent',
            jsonb_build_object('session', p_session, 'learner', p_learners[i])
        );
        v_message := NULL;
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
        outcome := v_status;
        booking_id := v_booking;
        waitlist_position := v_position;
        message_id := v_message;
        RETURN NEXT;
    END LOOP;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS training_book_places(
    bigint, bigint[], bigint[], timestamptz, jsonb[], text
);
"""


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(previous.DROP)
        schema_editor.execute(BOOK_PLACES)


def restore(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)
        schema_editor.execute(previous.BOOK_PLACE)


class Migration(migrations.Migration):
    dependencies = [("training", "0004_book_place_renders_nothing")]

    operations = [migrations.RunPython(create, restore, elidable=False)]
