"""The dashboards pause the cyclic garbage collector while they build a page: it must be running
again afterwards, whatever happened inside (a worker left without it would grow with every cycle
it never frees)."""

import gc

import pytest

from kinerja.core.gcpause import collector_paused, pausing_collector


def test_the_collector_runs_again_after_the_block_and_after_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block does not switch it back on early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    @pausing_collector
    def failing_view():
        assert not gc.isenabled()
        raise ValueError("gagal")

    with pytest.raises(ValueError):
        failing_view()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_dashboard_request_leaves_the_collector_running(login, world):
    from django.urls import reverse

    client = login(world.users["viewer_national"])
    assert client.get(reverse("region", args=["ditjenpas"])).status_code == 200
    assert gc.isenabled()
