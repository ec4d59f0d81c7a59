import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  /**
   * The session: send it as `Authorization: Bearer <sessionId>`. Treat it like a password.
   * @example "m1Qx3rT0aP9wS2eV7yB4nC6dF8gH0jK2lZ5xV1bN3mQ"
   */
  sessionId: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description:
      "When the session ends if it is not used. Each use moves it forward, never past the session's maximum age.",
    example: '2026-11-27T16:30:00.000Z',
  })
  expiresAt: string;
}
