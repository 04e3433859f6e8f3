"""The events route shows an online event as police.uk has room for it: "Online" and how to
join in its one line for where, never a postcode."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from police_world import PoliceData

from beatbook.teams import services


def test_an_online_event_is_online_with_its_joining_details(
    client: Client, police_data: PoliceData
) -> None:
    start = timezone.now() + timedelta(hours=2)
    services.event_create(
        neighbourhood=police_data.longton,
        title="Evening online surgery",
        type="online-surgery",
        online=True,
        joining_details="Join at https://meet.example.police.uk/longton",
        start=start,
        end=start + timedelta(hours=1),
    )
    events = client.get("/api/staffordshire/SOT.LONGTON/events").json()
    online = events[0]
    assert online["title"] == "Evening online surgery"
    assert online["address"] == "Online: Join at https://meet.example.police.uk/longton"
    assert online["type"] == "online-surgery"
    # Events held in person keep their address as it was entered.
    in_person = {event["title"]: event["address"] for event in events[1:]}
    assert in_person["Mobile police station"] == "Longton Exchange"
