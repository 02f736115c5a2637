"""/healthz: JSON saying whether the database and the broker answer."""
import pytest

from tests.conftest import database_out_of_reach


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_database_unreachable(client):
    with database_out_of_reach():
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] is False
    # The real database answers again once the connection is restored.
    assert client.get("/healthz").json()["database"] is True
