"""The selection's transitions (ui.state), without Streamlit: plain values in, plain values out."""

import subprocess
import sys

import pytest

from geo.core.values import MappedPlace, Mention, Place
from tests.conftest import ROOT
from ui.state import (
    Corrected,
    Edited,
    LinkOpened,
    MapClicked,
    MapDrawn,
    MentionClicked,
    PlaceFound,
    RowsSelected,
    Selection,
    SpotFound,
    TableDrawn,
    Undone,
    next_selection,
)


def mapped(key, lat, lon):
    place = Place(key, key.title(), lat, lon, "city", "SY", "PPL", "test")
    return MappedPlace(place, (Mention(0, 1, place.name, "GPE", "ner", 0, 1, place.name),))


ALEPPO, DAMASCUS, GENEVA = mapped("aleppo", 36.2, 37.16), mapped("damascus", 33.51, 36.29), mapped("geneva", 46.2, 6.15)
PLACES = (ALEPPO, DAMASCUS, GENEVA)


NOTHING = Selection()


def fold(*events, state=NOTHING, places=PLACES):
    for event in events:
        state = next_selection(state, event, places)
    return state


def test_the_module_needs_no_streamlit():
    code = "import sys, ui.state; assert not any(m.split('.')[0] == 'streamlit' for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_link_selects_its_place_only_when_nothing_is_selected():
    assert fold(LinkOpened("geneva")).place == "geneva"
    # The map is framed on the place the link names, unless the link gives the map's own view.
    assert fold(LinkOpened("syria")).focus == "syria"
    assert fold(LinkOpened("syria", frame=False)) == Selection(place="syria")
    assert fold(LinkOpened("syria"), state=Selection(place="aleppo")).focus is None
    assert fold(LinkOpened("geneva"), state=Selection(place="aleppo")).place == "aleppo"
    assert fold(LinkOpened(None)) == Selection()
    assert fold(LinkOpened("")) == Selection()
    # A link to a place not shown (filtered out, or gone) is kept: it shows again when it can.
    state = fold(LinkOpened("nowhere"))
    assert state.place == "nowhere" and state.shown(PLACES) is None


def test_a_new_row_selects_and_focuses_its_place_once():
    drawn = fold(TableDrawn(("aleppo", "damascus", "geneva")))
    state = fold(RowsSelected((1,)), state=drawn)
    assert (state.place, state.focus, state.last_rows) == ("damascus", "damascus", (1,))
    assert state.focused(PLACES) is DAMASCUS and state.shown(PLACES) is DAMASCUS
    # The table reports the same rows on every run: once the map is drawn, they change nothing.
    later = fold(MapDrawn(), MapClicked(36.2, 37.16), RowsSelected((1,)), state=state)
    assert (later.place, later.focus) == ("aleppo", None)


def test_rows_mean_the_table_as_it_was_drawn():
    state = fold(TableDrawn(("geneva", "aleppo")), RowsSelected((0,)))
    assert state.place == "geneva"
    state = fold(TableDrawn(("aleppo",)), RowsSelected((1,)), state=state)  # out of range: nothing happens
    assert (state.place, state.last_rows) == ("geneva", (1,))


def test_deselecting_a_row_keeps_the_place():
    state = fold(TableDrawn(("geneva",)), RowsSelected((0,)), MapDrawn(), RowsSelected(()))
    assert (state.place, state.focus, state.last_rows) == ("geneva", None, ())


def test_a_map_click_selects_the_nearest_place_once_and_does_not_move_the_map():
    state = fold(MapClicked(46.0, 6.0))
    assert (state.place, state.focus, state.last_click) == ("geneva", None, (46.0, 6.0))
    # The map reports its last click on every run: the same click does not undo a later choice.
    state = fold(MentionClicked("aleppo"), MapDrawn(), MapClicked(46.0, 6.0), state=state)
    assert state.place == "aleppo"
    assert fold(MapClicked(33.5, 36.3), state=state).place == "damascus"


def test_a_click_on_an_empty_map_is_remembered_but_selects_nothing():
    state = fold(MapClicked(46.0, 6.0), places=())
    assert (state.place, state.last_click) == (None, (46.0, 6.0))
    assert fold(MapClicked(1.0, 2.0), state=Selection(place="geneva"), places=()).place == "geneva"


def test_the_focus_lasts_until_the_map_is_drawn():
    state = fold(MentionClicked("geneva"))
    assert (state.place, state.focus) == ("geneva", "geneva")
    assert fold(MapDrawn(), state=state) == Selection(place="geneva")
    assert fold(MapDrawn()) == Selection()


def test_a_mention_selects_only_a_shown_place_other_than_the_selected_one():
    selected = Selection(place="aleppo")
    assert fold(MentionClicked("aleppo"), state=selected) is selected
    assert fold(MentionClicked("nowhere"), state=selected) is selected
    assert fold(MentionClicked("geneva"), state=selected, places=(ALEPPO,)) is selected  # filtered out


def test_corrections_select_the_correction_and_undo_selects_nothing():
    state = Selection(place="geonames:2660646", last_rows=(2,), table_keys=("a", "b", "c"))
    corrected = fold(Corrected("correction:41.88745,-88.30535"), state=state)
    assert corrected.place == "correction:41.88745,-88.30535"
    assert (corrected.last_rows, corrected.table_keys, corrected.focus) == ((2,), ("a", "b", "c"), None)
    assert fold(Undone(), state=corrected) == Selection(last_rows=(2,), table_keys=("a", "b", "c"))


def test_the_selection_is_a_frozen_value():
    state = Selection(place="geneva")
    with pytest.raises(AttributeError):
        state.place = "aleppo"  # type: ignore[misc]
    assert state == Selection(place="geneva") and hash(state) == hash(Selection(place="geneva"))
    assert next_selection(state, TableDrawn(("geneva",))) == Selection(place="geneva", table_keys=("geneva",))
    assert state.table_keys == ()  # the old value is untouched


def test_a_place_found_on_the_map_is_selected_and_focused_even_when_selected_already():
    state = fold(PlaceFound("geneva"))
    assert (state.place, state.focused(PLACES)) == ("geneva", GENEVA)
    state = fold(MapDrawn(), PlaceFound("geneva"), state=state)
    assert state.focused(PLACES) == GENEVA  # asked again: framed again
    assert fold(PlaceFound("nowhere"), state=state) == state  # not on the map: nothing happens


def test_a_spot_off_the_map_focuses_the_map_once_and_keeps_the_selection():
    homs = mapped("homs", 34.73, 36.71)
    state = fold(MentionClicked("aleppo"), MapDrawn(), SpotFound(homs))
    assert state.place == "aleppo" and state.shown(PLACES) == ALEPPO
    assert state.focused(PLACES) == homs  # not among the places, focused all the same
    state = fold(MapDrawn(), state=state)
    assert state.focused(PLACES) is None and state.spot is None


def test_an_edit_selects_the_added_place_or_keeps_the_selection():
    state = fold(MentionClicked("aleppo"), MapDrawn())
    assert fold(Edited(), state=state) == state  # a name removed, or an undo
    added = fold(Edited("damascus"), state=state)
    assert (added.place, added.focused(PLACES)) == ("damascus", DAMASCUS)
