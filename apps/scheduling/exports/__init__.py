"""Schedule exports: one small exporter per format, fed a PublishedSchedule (plain data, no Django).

The public URLs and the API both call `exporter_for(name).render(schedule)`."""

from .frab_json import FrabJsonExporter
from .frab_xml import FrabXmlExporter
from .ical import ICalExporter

EXPORTERS = {e.name: e for e in (FrabJsonExporter, FrabXmlExporter, ICalExporter)}


def exporter_for(name: str):
    return EXPORTERS[name]
