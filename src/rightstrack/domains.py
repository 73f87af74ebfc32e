"""Domain apps and where they are mounted: /<prefix> for pages, /api/<app>/ for their API router.

An app without urls.py or api.py yet is simply not mounted.
"""

DOMAIN_APPS = {
    "evidence": "documents/",
    "ingest": "ingest/",
    "trials": "trials/",
    "incidents": "incidents/",
    "recommendations": "recommendations/",
    "claims": "claims/",
    "reports": "reports/",
    "portal": "public/",
    "accounts": "account/",
    "field": "field/",
}
