"""The protocol-level load driver: simulated workshop participants speaking Streamlit's
websocket protocol against the app and its bare twin. Run with `python -m bench.load`."""
