"""Invitations: the one way a person gets access to a district (issue 9, item 2; issue 12).

A director (or, for a guardian link, a case manager within their scope) invites an email
address to a role. The address receives, through the outbox, a single-use link that expires
(`settings.INVITATION_EXPIRY_DAYS`); on it the person sets a password, and the membership or
guardian link is made in the same transaction.

- `models`: the abstract `InvitationBase` and `StaffInvitation` (a membership); students adds
  `GuardianInvitation` on the same base.
- `tokens`: the link's secret, stored as a keyed hash only.
- `accounts`: which account an invitation reaches. A district links only accounts that belong
  to no other district (or that it invited itself); otherwise the invitation makes a new account
  for the address, so the inviter's answer never tells whether the address was known.
- `services`: sending and accepting, for every kind; `kinds`: the registry the link's page uses.
- `views`, `forms`, `urls`: the page behind the link.
"""
