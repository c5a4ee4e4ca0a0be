"""Markup that is the same on every request, rendered once per process and reused.

`{% constant %}...{% endconstant %}` holds text, `{% url %}` and `{% static %}` tags with quoted
arguments only (checked when the template is compiled), so what it renders depends on nothing
a request carries but the URL prefix the site is served under and the application namespace
`{% url %}` reverses in, which key it. The page shell (`base.html`) and the breadcrumbs
resolve their links and asset addresses this way instead of on every page.
"""

from django import template
from django.template.base import FilterExpression, TextNode
from django.template.defaulttags import URLNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf

register = template.Library()

NOT_CONSTANT = (
    "{{% constant %}} holds text and {{% url %}} or {{% static %}} with quoted arguments only, "
    "not {node}."
)


def _quoted(expression: FilterExpression) -> bool:
    return not expression.is_var and not expression.filters


def _is_constant(node: template.Node) -> bool:
    if isinstance(node, TextNode):
        return True
    if isinstance(node, URLNode):
        arguments = [node.view_name, *node.args, *node.kwargs.values()]
        return node.asvar is None and all(_quoted(argument) for argument in arguments)
    if isinstance(node, StaticNode):
        return node.varname is None and _quoted(node.path)
    return False


def _current_app(context) -> str | None:
    """The application namespace `{% url %}` prefers, found as it finds it."""
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class ConstantNode(template.Node):
    child_nodelists = ()  # no block can be inside: `{% extends %}` need not look for one

    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        key = (get_script_prefix(), get_urlconf(), _current_app(context), context.autoescape)
        markup = self.rendered.get(key)
        if markup is None:
            markup = self.rendered[key] = self.nodelist.render(context)
        return markup


@register.tag
def constant(parser, token) -> ConstantNode:
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    for node in nodelist:
        if not _is_constant(node):
            raise template.TemplateSyntaxError(NOT_CONSTANT.format(node=node))
    return ConstantNode(nodelist)
