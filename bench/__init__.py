"""Measurements of what users feel and pay: cold starts, requests, reads, the feed."""
