"""A practice manager adds a user, lets the admin team use a new template and shortens the
links' lifetime. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from clinical_photos.accounts.models import User

from .conftest import check_accessibility, login_as

pytestmark = pytest.mark.django_db(transaction=True)


def given_i_am_logged_in_as_the_practice_manager(page, manager):
    login_as(page, manager)
    page.goto("/")
    page.get_by_role("link", name="Practice settings", exact=True).click()
    expect(page.get_by_role("heading", name="Practice settings")).to_be_visible()
    check_accessibility(page, "manager-01-settings")


def when_i_add_a_receptionist(page):
    page.get_by_role("link", name="Manage users").click()
    check_accessibility(page, "manager-02-users")
    page.get_by_role("button", name="Add a user").click()
    page.get_by_role("button", name="Add user").click()
    expect(page).to_have_title(re.compile("^Error: Add a user"))
    check_accessibility(page, "manager-03-add-user-errors")
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email address").fill("sam@riverside.test")
    page.get_by_label("Admin team").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("heading", name=re.compile("one-time password"))).to_be_visible()
    check_accessibility(page, "manager-04-user-added")


def then_they_must_choose_a_password_at_first_login():
    user = User.objects.get(email="sam@riverside.test")
    assert user.role == "admin" and user.must_change_password


def when_i_add_a_template_the_admin_team_may_use(page):
    page.get_by_role("link", name="Practice settings", exact=True).click()
    page.get_by_role("link", name="Manage request templates").click()
    check_accessibility(page, "manager-05-templates")
    page.get_by_role("button", name="Add a template").click()
    page.get_by_label("Name").fill("Wart")
    page.get_by_label("What the patient reads").fill(
        "We would like to see the wart or verruca you told us about."
    )
    page.get_by_label("The admin team may use this template").check()
    check_accessibility(page, "manager-06-template-form")
    page.get_by_role("button", name=re.compile("^(Add|Save)")).click()
    expect(page.get_by_text("The template Wart has been added")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Wart.*Yes"))).to_be_visible()


def when_i_make_links_last_3_days(page, practice):
    page.get_by_role("link", name="Practice settings", exact=True).click()
    page.get_by_role("link", name="Change how long links last").click()
    page.get_by_label("How long links last (days)").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name=re.compile("from 1 to 14"))).to_be_visible()
    check_accessibility(page, "manager-07-link-lifetime-error")
    page.get_by_label("How long links last (days)").fill("3")
    page.get_by_role("button", name="Save").click()
    practice.refresh_from_db()
    assert practice.link_lifetime_days == 3


def test_a_practice_manager_looks_after_users_templates_and_links(page, manager, practice):
    given_i_am_logged_in_as_the_practice_manager(page, manager)
    when_i_add_a_receptionist(page)
    then_they_must_choose_a_password_at_first_login()
    when_i_add_a_template_the_admin_team_may_use(page)
    when_i_make_links_last_3_days(page, practice)
