"""The police.uk forces: ids, names, and the other spellings bulk files use for them."""

from __future__ import annotations

from typing import NamedTuple


class ForceEntry(NamedTuple):
    id: str
    name: str
    url: str
    telephone: str
    aliases: tuple[str, ...] = ()
    listed: bool = True


FORCES: tuple[ForceEntry, ...] = (
    ForceEntry(
        "avon-and-somerset",
        "Avon and Somerset Constabulary",
        "https://www.avonandsomerset.police.uk/",
        "101",
    ),
    ForceEntry("bedfordshire", "Bedfordshire Police", "https://www.beds.police.uk/", "101"),
    ForceEntry(
        "cambridgeshire", "Cambridgeshire Constabulary", "https://www.cambs.police.uk/", "101"
    ),
    ForceEntry("cheshire", "Cheshire Constabulary", "https://www.cheshire.police.uk/", "101"),
    ForceEntry(
        "city-of-london", "City of London Police", "https://www.cityoflondon.police.uk/", "101"
    ),
    ForceEntry("cleveland", "Cleveland Police", "https://www.cleveland.police.uk/", "101"),
    ForceEntry("cumbria", "Cumbria Constabulary", "https://www.cumbria.police.uk/", "101"),
    ForceEntry("derbyshire", "Derbyshire Constabulary", "https://www.derbyshire.police.uk/", "101"),
    ForceEntry(
        "devon-and-cornwall",
        "Devon & Cornwall Police",
        "https://www.devon-cornwall.police.uk/",
        "101",
        ("Devon and Cornwall Police",),
    ),
    ForceEntry("dorset", "Dorset Police", "https://www.dorset.police.uk/", "101"),
    ForceEntry("durham", "Durham Constabulary", "https://www.durham.police.uk/", "101"),
    ForceEntry("dyfed-powys", "Dyfed-Powys Police", "https://www.dyfed-powys.police.uk/", "101"),
    ForceEntry("essex", "Essex Police", "https://www.essex.police.uk/", "101"),
    ForceEntry(
        "gloucestershire",
        "Gloucestershire Constabulary",
        "https://www.gloucestershire.police.uk/",
        "101",
    ),
    ForceEntry(
        "greater-manchester", "Greater Manchester Police", "https://www.gmp.police.uk/", "101"
    ),
    ForceEntry("gwent", "Gwent Police", "https://www.gwent.police.uk/", "101"),
    ForceEntry(
        "hampshire",
        "Hampshire Constabulary",
        "https://www.hampshire.police.uk/",
        "101",
        ("Hampshire and Isle of Wight Constabulary",),
    ),
    ForceEntry(
        "hertfordshire", "Hertfordshire Constabulary", "https://www.herts.police.uk/", "101"
    ),
    ForceEntry("humberside", "Humberside Police", "https://www.humberside.police.uk/", "101"),
    ForceEntry("kent", "Kent Police", "https://www.kent.police.uk/", "101"),
    ForceEntry("lancashire", "Lancashire Constabulary", "https://www.lancashire.police.uk/", "101"),
    ForceEntry("leicestershire", "Leicestershire Police", "https://www.leics.police.uk/", "101"),
    ForceEntry("lincolnshire", "Lincolnshire Police", "https://www.lincs.police.uk/", "101"),
    ForceEntry("merseyside", "Merseyside Police", "https://www.merseyside.police.uk/", "101"),
    ForceEntry(
        "metropolitan",
        "Metropolitan Police Service",
        "https://www.met.police.uk/",
        "101",
        ("Metropolitan Police",),
    ),
    ForceEntry("norfolk", "Norfolk Constabulary", "https://www.norfolk.police.uk/", "101"),
    ForceEntry("north-wales", "North Wales Police", "https://www.northwales.police.uk/", "101"),
    ForceEntry(
        "north-yorkshire", "North Yorkshire Police", "https://www.northyorkshire.police.uk/", "101"
    ),
    ForceEntry(
        "northamptonshire", "Northamptonshire Police", "https://www.northants.police.uk/", "101"
    ),
    ForceEntry("northumbria", "Northumbria Police", "https://www.northumbria.police.uk/", "101"),
    ForceEntry(
        "nottinghamshire", "Nottinghamshire Police", "https://www.nottinghamshire.police.uk/", "101"
    ),
    ForceEntry(
        "northern-ireland",
        "Police Service of Northern Ireland",
        "https://www.psni.police.uk/",
        "101",
        ("PSNI",),
    ),
    ForceEntry("south-wales", "South Wales Police", "https://www.south-wales.police.uk/", "101"),
    ForceEntry(
        "south-yorkshire", "South Yorkshire Police", "https://www.southyorkshire.police.uk/", "101"
    ),
    ForceEntry(
        "staffordshire", "Staffordshire Police", "https://www.staffordshire.police.uk/", "101"
    ),
    ForceEntry("suffolk", "Suffolk Constabulary", "https://www.suffolk.police.uk/", "101"),
    ForceEntry("surrey", "Surrey Police", "https://www.surrey.police.uk/", "101"),
    ForceEntry("sussex", "Sussex Police", "https://www.sussex.police.uk/", "101"),
    ForceEntry(
        "thames-valley", "Thames Valley Police", "https://www.thamesvalley.police.uk/", "101"
    ),
    ForceEntry("warwickshire", "Warwickshire Police", "https://www.warwickshire.police.uk/", "101"),
    ForceEntry("west-mercia", "West Mercia Police", "https://www.westmercia.police.uk/", "101"),
    ForceEntry(
        "west-midlands", "West Midlands Police", "https://www.west-midlands.police.uk/", "101"
    ),
    ForceEntry(
        "west-yorkshire", "West Yorkshire Police", "https://www.westyorkshire.police.uk/", "101"
    ),
    ForceEntry("wiltshire", "Wiltshire Police", "https://www.wiltshire.police.uk/", "101"),
    ForceEntry(
        "btp",
        "British Transport Police",
        "https://www.btp.police.uk/",
        "0800 40 50 40",
        ("British Transport Police",),
        listed=False,
    ),
)
