import re

from django.db import migrations, models

# A postcode at the end of a one-line address, and the "Online" a team wrote in place of one.
_TRAILING_POSTCODE = re.compile(r"[,\s]*\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)
_ONLINE_PREFIX = re.compile(r"^\s*online\b[\s:,.\-–]*", re.IGNORECASE)


def events_online(apps, schema_editor):
    """Events that were online in all but name (the online-surgery type, or an address saying
    "Online") become online events: the rest of the address is how to join, the postcode goes."""
    Event = apps.get_model("teams", "Event")
    online = Event.objects.filter(
        models.Q(type="online-surgery") | models.Q(address__istartswith="online")
    )
    for event in online.iterator():
        rest = _ONLINE_PREFIX.sub("", _TRAILING_POSTCODE.sub("", event.address.strip()))
        rest = rest.strip(" ,")
        event.joining_details = (rest[:1].upper() + rest[1:] or "Ask the team how to join")[:300]
        event.online = True
        event.address = ""
        event.save(update_fields=["online", "joining_details", "address"])


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0004_event_types_for_neighbourhood_work'),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='joining_details',
            field=models.CharField(blank=True, help_text="How to join an online event: a link to the meeting, or what to do, like 'Email the team for the link'. Blank for an event held in person.", max_length=300),
        ),
        migrations.AddField(
            model_name='event',
            name='online',
            field=models.BooleanField(default=False, help_text='Held online: no address, and say how to join.'),
        ),
        migrations.AlterField(
            model_name='event',
            name='address',
            field=models.CharField(blank=True, help_text='Where an in-person event is: a place and street, ending with its postcode, which must be in or near the neighbourhood. Blank for an online event.', max_length=300),
        ),
        migrations.RunPython(events_online, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('joining_details', ''), ('online', False)), models.Q(('address', ''), ('online', True)), _connector='OR'), name='event_online_or_in_person', violation_error_message='An online event has joining details and no address; an event held in person has an address and no joining details.'),
        ),
        migrations.AddConstraint(
            model_name='event',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('type__in', ['online-surgery']), _negated=True), ('online', True), _connector='OR'), name='event_online_types_online', violation_error_message='An online surgery is held online.'),
        ),
    ]
