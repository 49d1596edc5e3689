"""Guardian invitations: `staffing.invitations` for a parent, who is linked to one child.

A director, or a case manager whose scope reaches the student, invites a parent's email; the
parent sets a password on the link and lands on the child's page. No parent account is made by
hand (issue 12). Registered with staffing at app ready (`register`): the `family` kind of link,
and guardian links as ties of accounts to districts.
"""
