"""Admin-side checks of rule rows against the engine's catalogues, in the editor's language."""
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from eligibility.engine.rules import ConditionError, validate_condition

from .models import Condition, Parameter


def _message(error: ConditionError) -> str:
    return error.message_en if (get_language() or "ko").startswith("en") else error.message_ko


def condition_errors(condition: Condition) -> None:
    """Raise ValidationError naming the field when the engine could not evaluate `condition`."""
    if condition.parameter and not Parameter.objects.filter(name=condition.parameter).exists():
        ko, en = "등록되지 않은 매개변수입니다", "no parameter has this name"
        raise ValidationError({"parameter": en if (get_language() or "ko").startswith("en") else ko})
    try:
        validate_condition(
            condition.fact, condition.operator, condition.value or None, parameter=condition.parameter or None,
            basis=condition.basis or None, quantifier=condition.quantifier or None, group=condition.group,
            min_count=condition.min_count,
        )
    except ConditionError as error:
        field = error.field if error.field in {f.name for f in Condition._meta.fields} else "value"
        raise ValidationError({field: _message(error)}) from None
