"""The household record: columns of the household format, history of every change, the encrypted RRN."""
import base64
import logging

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection

from membership import crypto, selectors, services
from membership.models import AuditEvent, HouseholdRevision, Membership

from .helpers import household_single, household_with_newborn

RRN = "900501-1234568"


def test_household_update_stores_the_document_and_a_first_revision(member):
    # when
    household = services.household_update(member=member, document=household_single(), acting_user=member)
    # then
    assert (household.sido, household.tenure, household.monthly_rent, household.version) == ("서울특별시", "rent", 400000, 1)
    assert household.members.get().income_earned == 1800000
    document = selectors.household_document(household=household)
    assert document["members"][0]["income"] == {"earned": 1800000, "business": 0, "property": 0,
                                                 "public_transfer": 0, "private_transfer": 0}
    revision = HouseholdRevision.objects.get(household=household)
    assert (revision.version, revision.changed_by) == (1, member)


def test_second_change_keeps_the_first_as_history_and_names_what_changed(member):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    changed = household_single()
    changed["housing"]["monthly_rent"] = 450000
    # when
    services.household_update(member=member, document=changed, acting_user=member)
    # then
    revisions = list(HouseholdRevision.objects.order_by("version"))
    assert [r.version for r in revisions] == [1, 2]
    assert revisions[0].document["housing"]["monthly_rent"] == 400000
    assert revisions[1].changed_fields == ["housing.monthly_rent"]
    assert selectors.household_changes_latest(member=member) == ["housing.monthly_rent"]


def test_adding_a_member_is_named_as_the_members_change(member):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    # when
    services.household_update(member=member, document=household_with_newborn(), acting_user=member)
    # then
    assert selectors.household_changes_latest(member=member) == ["members"]


def test_the_home_office_follows_the_registered_address(member, office_gwanak, office_busan):
    # when
    services.household_update(member=member, document=household_single(sido="부산광역시", sigungu="해운대구"),
                              acting_user=member)
    # then
    assert Membership.objects.get(member=member).home_office == office_busan


def test_rrn_is_stored_encrypted_and_the_raw_column_holds_no_digits(member, caseworker):
    # when
    services.member_rrn_set(member=member, rrn=RRN, acting_user=caseworker)
    # then
    with connection.cursor() as cursor:
        cursor.execute("SELECT rrn_encrypted, rrn_birth_part FROM membership_membership WHERE member_id = %s", [member.pk])
        raw, birth = cursor.fetchone()
    raw = bytes(raw)
    assert b"1234568" not in raw and b"9005011234568" not in raw and b"900501-1234568" not in raw
    assert len(raw) == 12 + 13 + 16  # nonce + ciphertext + GCM tag
    assert birth == "900501"
    assert crypto.rrn_decrypt(raw, member_id=member.pk) == "9005011234568"
    assert Membership.objects.get(member=member).rrn_masked == "900501-*******"


def test_no_table_of_the_database_holds_a_plaintext_rrn(member, caseworker, client):
    # given
    services.member_rrn_set(member=member, rrn=RRN, acting_user=caseworker)
    # when: every text and binary column of every table is read raw
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(f'SELECT "{column.name}" FROM "{table}"')  # noqa: S608 - names from introspection
                for (value,) in cursor.fetchall():
                    text = bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
                    if "1234568" in text:
                        found.append((table, column.name))
    # then
    assert found == []


def test_same_rrn_encrypts_differently_each_time_and_tampering_fails():
    # given
    first = crypto.rrn_encrypt("9005011234568", member_id=7)
    second = crypto.rrn_encrypt("9005011234568", member_id=7)
    tampered = first[:-1] + bytes([first[-1] ^ 1])
    # then
    assert first != second
    with pytest.raises(InvalidTag):
        crypto.rrn_decrypt(tampered, member_id=7)
    with pytest.raises(InvalidTag):
        crypto.rrn_decrypt(first, member_id=8)  # copied to another member's row


def test_a_missing_or_short_key_refuses_to_encrypt(settings):
    # given
    settings.RRN_ENCRYPTION_KEY = base64.b64encode(b"short").decode()
    # then
    with pytest.raises(ImproperlyConfigured):
        crypto.rrn_encrypt("9005011234568", member_id=1)


@pytest.mark.parametrize("bad", ["900501-9234568", "9005011", "abcdef-1234567", ""])
def test_a_malformed_rrn_is_refused(bad):
    with pytest.raises(ValidationError):
        crypto.rrn_normalise(bad)


def test_recording_an_rrn_logs_and_audits_no_digits(client, member, caseworker, office_gwanak, caplog):
    # given
    services.household_update(member=member, document=household_single(), acting_user=member)
    client.force_login(caseworker)
    caplog.set_level(logging.DEBUG)
    # when
    response = client.post(f"/membership/members/{member.pk}/rrn/", {"rrn": RRN})
    page = client.get(f"/membership/members/{member.pk}/").content.decode()
    # then
    assert response.status_code == 302
    assert "1234568" not in caplog.text
    assert "900501-*******" in page and "1234568" not in page
    assert all("1234568" not in str(e.details) for e in AuditEvent.objects.all())
