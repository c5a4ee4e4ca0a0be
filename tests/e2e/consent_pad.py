"""Drawing a signature on the consent form's pad, with a mouse or a finger."""


def pad_box(page) -> dict:
    pad = page.locator("canvas[data-signature-pad]")
    pad.scroll_into_view_if_needed()
    return pad.bounding_box()


def sign_with_mouse(page) -> None:
    box = pad_box(page)
    left, top = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(left, top)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(left + step * 12, top + (15 if step % 2 else -15), steps=2)
    page.mouse.up()


def sign_with_touch(page) -> None:
    """A finger stroke, sent as touch events (the browser makes them pointer events)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    box = pad_box(page)
    left, top = box["x"] + 30, box["y"] + box["height"] / 2

    def touch(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", left, top)
    for step in range(1, 20):
        touch("touchMove", left + step * 15, top + (20 if step % 2 else -20))
    touch("touchEnd", left + 19 * 15, top)
