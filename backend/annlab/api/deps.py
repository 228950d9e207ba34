"""Dependencies shared by routers."""

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

# auto_error=False: a missing token gets our own 401 with a hint, not FastAPI's.
_bearer = HTTPBearer(auto_error=False, description="The teacher token.")


def require_teacher(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Reject the request unless it carries the teacher token as a bearer token.

    Raises 401 when no bearer token is sent and 403 when it is wrong.
    """
    if credentials is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Teacher token missing. Send it as 'Authorization: Bearer <token>'; "
            "the server logs it at start-up unless ANNLAB_TEACHER_TOKEN is set.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expected = request.app.state.settings.teacher_token
    if not expected or not secrets.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_403_FORBIDDEN, detail="Teacher token invalid."
        )


TeacherOnly = Depends(require_teacher)
