"""Front and back anatomical figures: a body outline and each catalogue muscle's shape.

Geometry is data. Points are (x, y) on a view 200 wide, the body's midline at x = 100, and
describe the half of the body drawn on the viewer's left (x < 100); the other half is its mirror
image. Which side of the patient that half is depends on the view (see `bodymap.py`). Shapes are
keyed by the catalogue's muscle name: a muscle added to the catalogue needs a shape here.

Deep muscles (pectoralis minor, piriformis, gluteus minimus) are drawn over the muscle that
covers them, where they are needled through it.
"""

MIDLINE = 100
HEIGHT = 440

# Centre and radii of the head, as an ellipse.
HEAD = (100, 30, 15, 21)

# The outline of the viewer-left half, from the neck down the arm, the trunk and the leg to
# the crotch; the mirror half closes it.
OUTLINE = [
    (91, 46),
    (90, 60),
    (74, 67),
    (58, 72),
    (49, 80),
    (45, 96),
    (43, 118),
    (40, 140),
    (38, 160),
    (35, 185),
    (32, 210),
    (31, 228),
    (26, 240),
    (25, 256),
    (30, 268),
    (38, 270),
    (43, 260),
    (44, 242),
    (46, 228),
    (51, 200),
    (55, 172),
    (57, 150),
    (60, 128),
    (63, 112),
    (66, 132),
    (68, 158),
    (67, 178),
    (62, 200),
    (60, 230),
    (62, 268),
    (66, 300),
    (63, 330),
    (67, 362),
    (72, 396),
    (68, 414),
    (72, 424),
    (93, 424),
    (93, 410),
    (90, 396),
    (92, 360),
    (95, 330),
    (95, 304),
    (97, 262),
    (99, 226),
]

FRONT = "front"
BACK = "back"

# Muscle name -> view -> outline of its viewer-left shape.
MUSCLES: dict[str, dict[str, list[tuple[int, int]]]] = {
    # Head and neck
    "Sternocleidomastoid": {FRONT: [(86, 40), (91, 41), (99, 63), (97, 68), (93, 64)]},
    "Scalenes": {FRONT: [(85, 50), (89, 51), (91, 62), (86, 66), (81, 65)]},
    "Suboccipitals": {BACK: [(88, 36), (98, 38), (98, 45), (89, 44)]},
    "Splenius capitis": {BACK: [(91, 47), (98, 47), (98, 60), (93, 57)]},
    "Levator scapulae": {BACK: [(86, 47), (90, 47), (90, 57), (85, 66), (81, 64)]},
    # Shoulder girdle and back
    "Upper trapezius": {
        FRONT: [(88, 60), (91, 64), (76, 70), (62, 74), (64, 70), (76, 65)],
        BACK: [(92, 60), (99, 62), (99, 74), (84, 78), (64, 80), (58, 75), (74, 68), (88, 65)],
    },
    "Supraspinatus": {BACK: [(84, 80), (87, 86), (70, 88), (64, 84)]},
    "Middle trapezius": {BACK: [(99, 76), (99, 96), (90, 98), (88, 82)]},
    "Rhomboids": {BACK: [(89, 100), (94, 100), (94, 116), (84, 122), (84, 106)]},
    "Lower trapezius": {BACK: [(84, 124), (94, 118), (94, 150), (90, 148)]},
    "Thoracic paraspinals": {BACK: [(96, 98), (99, 98), (99, 166), (96, 166), (95, 132)]},
    "Infraspinatus": {BACK: [(86, 90), (82, 104), (72, 112), (66, 104), (66, 92), (70, 90)]},
    "Teres minor": {BACK: [(65, 106), (71, 114), (68, 118), (63, 112)]},
    "Teres major": {BACK: [(70, 120), (81, 110), (82, 122), (74, 128), (66, 126)]},
    "Deltoid": {
        FRONT: [(60, 74), (66, 78), (65, 96), (58, 112), (50, 110), (46, 94), (50, 80)],
        BACK: [(60, 78), (64, 84), (64, 98), (58, 112), (50, 110), (46, 94), (50, 82)],
    },
    # Chest
    "Pectoralis major": {
        FRONT: [(97, 72), (84, 72), (70, 78), (67, 92), (66, 106), (76, 116), (89, 118), (97, 114)]
    },
    "Pectoralis minor": {FRONT: [(74, 86), (79, 86), (88, 104), (84, 106), (74, 94)]},
    "Serratus anterior": {FRONT: [(66, 114), (73, 120), (75, 140), (70, 150), (68, 134)]},
    "Intercostals": {FRONT: [(78, 121), (96, 122), (96, 140), (80, 146), (77, 134)]},
    # Arm and forearm
    "Biceps brachii": {FRONT: [(50, 114), (58, 114), (59, 130), (56, 150), (48, 156), (44, 140)]},
    "Triceps brachii": {BACK: [(50, 114), (59, 114), (58, 134), (55, 156), (46, 158), (43, 138)]},
    "Brachioradialis": {FRONT: [(40, 156), (47, 158), (46, 176), (40, 204), (35, 196), (37, 176)]},
    "Wrist flexors": {FRONT: [(49, 162), (55, 162), (53, 186), (46, 224), (42, 222), (45, 190)]},
    "Wrist extensors": {BACK: [(39, 162), (53, 162), (51, 186), (45, 224), (34, 222), (36, 190)]},
    # Lumbar spine
    "Lumbar multifidus": {BACK: [(94, 170), (99, 170), (99, 198), (94, 198)]},
    "Quadratus lumborum": {BACK: [(78, 168), (91, 170), (91, 190), (80, 188), (74, 178)]},
    # Pelvis and hip
    "Gluteus medius": {BACK: [(68, 192), (88, 192), (92, 200), (80, 206), (64, 206)]},
    "Gluteus minimus": {BACK: [(63, 208), (72, 208), (70, 218), (62, 220)]},
    "Gluteus maximus": {
        BACK: [(95, 204), (99, 216), (98, 238), (86, 246), (70, 244), (64, 226), (76, 210)]
    },
    "Piriformis": {BACK: [(96, 214), (96, 221), (80, 226), (68, 226), (70, 219), (82, 216)]},
    "Iliopsoas": {FRONT: [(80, 186), (90, 190), (95, 212), (89, 222), (82, 206)]},
    "Tensor fasciae latae": {FRONT: [(64, 194), (73, 192), (75, 208), (69, 226), (62, 218)]},
    # Thigh
    "Rectus femoris": {FRONT: [(77, 224), (85, 222), (87, 252), (84, 286), (79, 290), (75, 258)]},
    "Vastus lateralis": {
        FRONT: [(63, 228), (71, 226), (74, 262), (77, 294), (70, 302), (65, 282), (62, 254)]
    },
    "Vastus medialis": {FRONT: [(88, 264), (94, 270), (94, 292), (86, 300), (81, 292), (85, 280)]},
    "Adductors": {FRONT: [(88, 224), (98, 226), (97, 256), (92, 266), (88, 250)]},
    "Hamstrings": {
        BACK: [(67, 250), (86, 250), (96, 252), (95, 290), (90, 304), (72, 304), (65, 280)]
    },
    # Leg
    "Tibialis anterior": {
        FRONT: [(75, 314), (83, 314), (83, 346), (81, 392), (77, 392), (72, 346)]
    },
    "Peroneals": {FRONT: [(66, 318), (72, 320), (71, 352), (75, 394), (71, 394), (65, 350)]},
    "Gastrocnemius": {
        BACK: [(70, 310), (92, 310), (94, 332), (90, 356), (83, 362), (74, 356), (66, 332)]
    },
    "Soleus": {BACK: [(70, 356), (83, 366), (91, 358), (90, 380), (85, 394), (77, 394), (70, 376)]},
}


def mirror(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The same shape on the other half of the body."""
    return [(2 * MIDLINE - x, y) for x, y in points]


def smooth_path(points: list[tuple[float, float]], dx: float = 0) -> str:
    """A closed SVG path through the points, rounded (Catmull-Rom as cubic Bezier curves)."""
    shifted = [(x + dx, y) for x, y in points]
    count = len(shifted)
    parts = [f"M{shifted[0][0]:g} {shifted[0][1]:g}"]
    for index in range(count):
        x0, y0 = shifted[index - 1]
        x1, y1 = shifted[index]
        x2, y2 = shifted[(index + 1) % count]
        x3, y3 = shifted[(index + 2) % count]
        c1 = (x1 + (x2 - x0) / 6, y1 + (y2 - y0) / 6)
        c2 = (x2 - (x3 - x1) / 6, y2 - (y3 - y1) / 6)
        parts.append(
            f"C{c1[0]:.1f} {c1[1]:.1f} {c2[0]:.1f} {c2[1]:.1f} {x2:g} {y2:g}".replace(".0 ", " ")
        )
    return "".join(parts) + "Z"


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centre of area of a polygon (where a shape's count is printed)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    return round(cx / (6 * area), 1), round(cy / (6 * area), 1)


def body_outline() -> list[tuple[float, float]]:
    """The whole body's outline (both halves), head excluded."""
    return OUTLINE + mirror(OUTLINE[::-1])
