"""Settings: production refuses to start without its secrets and passes Django's deploy checks."""
import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, env_extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_extra})
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_production_settings_refuse_to_start_without_a_secret_key():
    # when
    result = _manage("check", env_extra={"DJANGO_ALLOWED_HOSTS": "portal.example"})
    # then
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy_with_no_issue():
    # when
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"DJANGO_SECRET_KEY": "x" * 20 + "-throwaway-" + "y" * 30, "DJANGO_ALLOWED_HOSTS": "portal.example",
                   "RRN_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode()},
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_an_http_sms_gateway_without_an_https_address():
    # when
    result = _manage(
        "check", env_extra={"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "portal.example",
                            "RRN_ENCRYPTION_KEY": base64.b64encode(os.urandom(32)).decode(),
                            "SMS_GATEWAY": "membership.sms.HttpGateway", "SMS_GATEWAY_URL": "http://sms.example/send"},
    )
    # then
    assert result.returncode != 0
    assert "SMS_GATEWAY_URL" in result.stderr
