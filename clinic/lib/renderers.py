"""How form widgets render."""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(Jinja2):
    """Widgets through Django's own Jinja2 templates, several times faster than the Django
    template engine on pages with many fields (the worklist); widgets that only have Django
    templates (the admin's) fall back to the Django engine."""

    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
