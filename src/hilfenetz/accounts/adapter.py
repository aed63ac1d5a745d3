from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from hilfenetz.core.client_ip import client_ip
from hilfenetz.core.mail import queue_rendered_mail


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Queue allauth's mails (confirmation, password reset) instead of sending them in the
        request; they are rendered in the language the person is using."""
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        key_source = (
            context.get("key") or context.get("password_reset_url") or context.get("code") or ""
        )
        queue_rendered_mail(
            key=f"allauth:{template_prefix}:{email}:{key_source}"[:200],
            to=email,
            subject=message.subject,
            body=message.body,
            html=html,
            language=translation.get_language() or "de",
        )

    def get_client_ip(self, request):
        """The address allauth's rate limits count, resolved like the login throttle's."""
        return client_ip(request)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.preferred_language = translation.get_language() or "de"
        if commit:
            user.save()
        return user
