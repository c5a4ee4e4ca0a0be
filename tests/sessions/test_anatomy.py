"""The body map as a therapist reads it: every catalogue muscle, left and right, where it is.

The tests read the SVG of the session form, as a browser gets it.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from patients.models import BodyRegion, Side
from sessions.figures.bodymap import BACK_OFFSET
from sessions.models import Muscle
from tests.factories import MuscleFactory, ScreeningFactory

MIDLINE = 100

# Heights on the figure (440 high: top of the head at 9, soles at 424) where each region's
# muscles sit.
REGION_HEIGHTS = {
    BodyRegion.HEAD_NECK: (30, 70),
    BodyRegion.SHOULDER: (60, 125),
    BodyRegion.THORACIC: (75, 170),
    BodyRegion.CHEST: (70, 155),
    BodyRegion.UPPER_ARM: (105, 165),
    BodyRegion.FOREARM_HAND: (150, 270),
    BodyRegion.LUMBAR: (160, 205),
    BodyRegion.PELVIS_HIP: (180, 240),
    BodyRegion.THIGH: (215, 310),
    BodyRegion.LEG: (305, 400),
    BodyRegion.FOOT: (395, 430),
}
SEEN_FROM_THE_FRONT = {
    "Sternocleidomastoid",
    "Scalenes",
    "Pectoralis major",
    "Pectoralis minor",
    "Serratus anterior",
    "Intercostals",
    "Biceps brachii",
    "Brachioradialis",
    "Wrist flexors",
    "Iliopsoas",
    "Tensor fasciae latae",
    "Rectus femoris",
    "Vastus lateralis",
    "Vastus medialis",
    "Adductors",
    "Tibialis anterior",
    "Peroneals",
}
SEEN_FROM_THE_BACK = {
    "Suboccipitals",
    "Splenius capitis",
    "Levator scapulae",
    "Upper trapezius",
    "Middle trapezius",
    "Lower trapezius",
    "Rhomboids",
    "Thoracic paraspinals",
    "Supraspinatus",
    "Infraspinatus",
    "Teres major",
    "Teres minor",
    "Triceps brachii",
    "Wrist extensors",
    "Quadratus lumborum",
    "Lumbar multifidus",
    "Gluteus maximus",
    "Gluteus medius",
    "Gluteus minimus",
    "Piriformis",
    "Hamstrings",
    "Gastrocnemius",
    "Soleus",
}
ALONG_THE_SPINE = {"Thoracic paraspinals", "Lumbar multifidus"}
LIMBS = {BodyRegion.UPPER_ARM, BodyRegion.FOREARM_HAND}


class Shapes(HTMLParser):
    """The muscle shapes of a page's body map: (name, view, side) -> centre on its figure."""

    def __init__(self):
        super().__init__()
        self.found: dict[tuple[str, str, str], tuple[float, float]] = {}
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "g" and "map-muscle" in (attrs.get("class") or ""):
            self.current = attrs
        elif tag == "path" and self.current is not None:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", attrs["d"])]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            corners = pairs[::3]  # the start, then each curve's end point
            x = sum(p[0] for p in corners) / len(corners)
            y = sum(p[1] for p in corners) / len(corners)
            view = self.current["data-view"]
            if view == "back":
                x -= BACK_OFFSET
            key = (self.current["data-name"], view, self.current["data-side"])
            self.found[key] = (x, y)
            self.current = None


def form_shapes(client, therapist) -> dict[tuple[str, str, str], tuple[float, float]]:
    screening = ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist)
    page = client.get(reverse("treatment_sessions:create", args=[screening.patient.pk]))
    parser = Shapes()
    parser.feed(page.content.decode())
    return parser.found


def sides_of(shapes, name: str) -> set[str]:
    return {side for (muscle, _, side) in shapes if muscle == name}


@pytest.mark.django_db
def test_every_catalogue_muscle_has_a_left_and_a_right_shape(therapist_client, therapist):
    shapes = form_shapes(therapist_client, therapist)

    missing = [
        muscle.name
        for muscle in Muscle.objects.active()
        if sides_of(shapes, muscle.name) != {Side.LEFT, Side.RIGHT}
    ]
    assert Muscle.objects.active().count() >= 41
    assert missing == []


@pytest.mark.django_db
def test_a_muscle_added_to_the_catalogue_without_a_shape_is_found_missing(
    therapist_client, therapist
):
    MuscleFactory(name="Flexor hallucis longus", region=BodyRegion.LEG)

    shapes = form_shapes(therapist_client, therapist)

    assert sides_of(shapes, "Hamstrings") == {Side.LEFT, Side.RIGHT}
    assert sides_of(shapes, "Flexor hallucis longus") == set()


@pytest.mark.django_db
def test_each_muscle_sits_in_its_region_on_the_side_of_the_body_it_names(
    therapist_client, therapist
):
    shapes = form_shapes(therapist_client, therapist)
    regions = dict(Muscle.objects.values_list("name", "region"))

    for (name, view, side), (x, y) in shapes.items():
        low, high = REGION_HEIGHTS[regions[name]]
        assert low <= y <= high, (name, view, y)
        # Front: the patient's left is on the viewer's right; back: on the viewer's left.
        on_viewers_left = x < MIDLINE
        assert on_viewers_left == ((side == Side.LEFT) == (view == "back")), (name, view, side)
        if regions[name] in LIMBS:
            assert abs(x - MIDLINE) > 40, (name, x)
        if name in ALONG_THE_SPINE:
            assert abs(x - MIDLINE) < 6, (name, x)


@pytest.mark.django_db
def test_muscles_are_drawn_on_the_view_a_therapist_palpates_them_from(therapist_client, therapist):
    shapes = form_shapes(therapist_client, therapist)
    views = {}
    for name, view, _ in shapes:
        views.setdefault(name, set()).add(view)

    assert {name for name in SEEN_FROM_THE_FRONT if "front" not in views[name]} == set()
    assert {name for name in SEEN_FROM_THE_BACK if "back" not in views[name]} == set()
    assert views["Deltoid"] == {"front", "back"}


@pytest.mark.django_db
def test_muscles_of_a_limb_lie_in_order_from_top_to_bottom(therapist_client, therapist):
    shapes = form_shapes(therapist_client, therapist)

    def height(name, view):
        return shapes[(name, view, Side.LEFT)][1]

    back = ["Upper trapezius", "Middle trapezius", "Lower trapezius"]
    assert sorted(back, key=lambda name: height(name, "back")) == back
    back = ["Gluteus maximus", "Hamstrings", "Gastrocnemius", "Soleus"]
    assert sorted(back, key=lambda name: height(name, "back")) == back
    front = ["Rectus femoris", "Vastus medialis", "Tibialis anterior"]
    assert sorted(front, key=lambda name: height(name, "front")) == front
