"""Testimonies: intake (cleaning and redaction), the Form, consent, moderation and each person's rights."""
